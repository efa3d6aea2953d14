"""The learner's nation: chosen once on the library page, kept in the session.

A debrief then shows that nation's regulator first (``kaleidoscope.guidance.nations``).
The choice is not personal data about anyone else and is never logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from kaleidoscope.guidance.nations import Nation, bundled_nations, for_nation, nation
from kaleidoscope.guidance.registry import Guidance
from kaleidoscope.web.core.views import see_other

SESSION_KEY = "kaleidoscope.nation"
FIELD = "nation"


def chosen(request: HttpRequest) -> Nation | None:
    value = request.session.get(SESSION_KEY)
    return nation(value) if isinstance(value, str) else None


def library_context(request: HttpRequest) -> dict[str, Any]:
    """What the library page needs to offer the choice and show the current one."""
    return {"nations": bundled_nations(), "nation": chosen(request)}


def debrief_context(request: HttpRequest, cited: list[Guidance]) -> dict[str, Any]:
    """``regulator`` (the chosen nation's code and guidance, cited or not) shown first, then
    ``guidance``: the rest of what was cited, the nation's own first."""
    current = chosen(request)
    shown = for_nation(cited, current.id.value) if current is not None else None
    if shown is None:
        return {"guidance": cited, "regulator": [], "regulator_cited": set(), "nation": None}
    own = {g.key for g in shown.regulator}
    return {
        "guidance": [g for g in shown.cited if g.key not in own],
        "regulator": shown.regulator,
        "regulator_cited": {g.key for g in shown.cited if g.key in own},
        "nation": shown.nation,
    }


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """Remember (or, with an empty value, forget) the learner's nation."""
    value = request.POST.get(FIELD, "")
    back = reverse("scenarios") + "#nation"
    if value == "":
        request.session.pop(SESSION_KEY, None)
        messages.info(request, "Your nation is no longer set: debriefs list guidance as cited.")
        return see_other(back)
    picked = nation(value)
    if picked is None:
        labels = ", ".join(n.label for n in bundled_nations())
        messages.error(request, f"Choose one of {labels}. Your nation was not changed.")
        return see_other(back)
    request.session[SESSION_KEY] = picked.id.value
    messages.success(
        request, f"Saved: {picked.label}. Debriefs will show {picked.regulator} first."
    )
    return see_other(back)
