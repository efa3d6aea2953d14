"""The learner's nation: chosen once on the library page, kept with the account of a
signed-in learner (``LearnerSettings``, so it follows them) and in the session of one
without an account.

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

from .models import LearnerSettings
from .services import text

SESSION_KEY = "kaleidoscope.nation"
FIELD = "nation"


def chosen(request: HttpRequest) -> Nation | None:
    value = None
    if request.user.is_authenticated:
        value = (
            LearnerSettings.objects.filter(user_id=request.user.pk)
            .values_list("nation", flat=True)
            .first()
        )
    if value is None:  # no account, or none chosen with it yet: a choice made before signing in
        value = request.session.get(SESSION_KEY)
    return nation(value) if isinstance(value, str) and value else None


def _keep(request: HttpRequest, value: str) -> None:
    """Remember ``value`` ("" forgets): with the account when signed in, else the session."""
    if request.user.is_authenticated:
        LearnerSettings.objects.update_or_create(
            user_id=request.user.pk, defaults={"nation": value}
        )
    elif value:
        request.session[SESSION_KEY] = value
    else:
        request.session.pop(SESSION_KEY, None)


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
    words = text()
    if value == "":
        _keep(request, "")
        messages.info(request, words["nation_cleared"])
        return see_other(back)
    picked = nation(value)
    if picked is None:
        labels = ", ".join(n.label for n in bundled_nations())
        messages.error(request, words["nation_unknown"].format(labels=labels))
        return see_other(back)
    _keep(request, picked.id.value)
    messages.success(
        request, words["nation_saved"].format(label=picked.label, regulator=picked.regulator)
    )
    return see_other(back)
