"""Staff download a scenario as a SCORM 1.2 or cmi5 package (what `scenarios export` writes)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from kaleidoscope.learn.packages import FORMATS, Packaged, PackageError, build_package
from kaleidoscope.web.learn.services import library


@require_GET
def download(request: HttpRequest, scenario_id: str, fmt: str) -> HttpResponse:
    user = request.user
    if not (user.is_authenticated and user.is_staff):
        raise Http404("no such package")
    scenario = library().get(scenario_id)
    if scenario is None or fmt not in FORMATS:
        raise Http404("no such package")
    try:
        data = build_package(
            [Packaged(scenario, library().cast(scenario))], fmt, settings.XAPI_ACTIVITY_BASE
        )
    except PackageError:  # the bundled library validated at start-up
        raise Http404("no such package") from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{scenario.id}-{fmt}.zip"'
    return response
