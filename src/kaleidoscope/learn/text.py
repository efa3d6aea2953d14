"""The safe Markdown subset used in scenario text.

Allowed: paragraphs, line breaks, *emphasis*, **strong**, lists, `code` and links to
http(s) or mailto. Raw HTML is escaped and images are not rendered, so a scenario can
never inject markup into a page.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

_RULES = ["emphasis", "list", "link", "newline", "backticks", "escape", "entity"]
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(_RULES)
    md.validateLink = lambda url: url.lower().startswith(_SAFE_SCHEMES)  # type: ignore[method-assign]
    return md


def render_html(text: str) -> str:
    """Markdown to HTML, within the subset; always safe to put in a page."""
    html: str = _parser().render(text)
    return html


def render_inline(text: str) -> str:
    """Like render_html, but without the wrapping paragraph (for labels and buttons)."""
    html: str = _parser().renderInline(text)
    return html
