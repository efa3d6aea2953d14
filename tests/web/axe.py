"""Run the vendored axe-core on a Playwright page; one helper for every browser test."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

AXE = Path(__file__).with_name("vendor") / "axe.min.js"

AXE_SOURCE = AXE.read_text(encoding="utf-8")
AXE_SOURCE_AS_EXPRESSION = "() => { " + AXE_SOURCE + "\n; return typeof axe; }"
_RUN = (
    "async () => (await axe.run(document)).violations.map(v => ({id: v.id, "
    "impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html).slice(0, 3)}))"
)


def assert_axe_clean(
    page: Any, scratch_context: Any = None, checked: set[str] | None = None
) -> None:
    """Fail listing every axe violation on ``page``.

    With the page's JavaScript off axe cannot run in it (its timers never fire), so the
    page's HTML, minus scripts and noscript blocks, is checked in a scratch page of
    ``scratch_context``, a JS-on browser context.
    """
    target, scratch = page, None
    if not page.evaluate("document.body.classList.contains('js-enabled')"):
        assert scratch_context is not None, "a JS-off page needs a JS-on scratch context"
        content = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
        content = re.sub(r"<noscript>.*?</noscript>", "", content, flags=re.S)
        content = content.replace("<head>", f'<head><base href="{page.url}">', 1)
        scratch = scratch_context.new_page()
        scratch.set_content(content, wait_until="load")
        target = scratch
    try:
        # Evaluated through the DevTools protocol, not an inline <script>: the pages'
        # Content-Security-Policy (rightly) refuses inline scripts.
        target.evaluate(AXE_SOURCE_AS_EXPRESSION)
        result = target.evaluate(_RUN)
    finally:
        if scratch is not None:
            scratch.close()
    assert result == [], f"axe violations on {page.url}:\n{json.dumps(result, indent=1)}"
    if checked is not None:
        checked.add(page.url.split("?")[0])
