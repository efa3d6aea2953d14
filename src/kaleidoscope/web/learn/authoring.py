"""Upload a Twine 2 HTML or Twee 3 file; get draft scenario YAML and the validator's report.

Nothing is stored: the upload is read in memory (Twine files are limited to 16 MB) and
the draft is shown on the page with a download link.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kaleidoscope.diagnostics import Diagnostic, count_errors
from kaleidoscope.learn.library import bundled_path
from kaleidoscope.learn.twine.importer import draft, stories_from_bytes
from kaleidoscope.learn.twine.story import MAX_TWINE_BYTES, TwineInputError
from kaleidoscope.learn.validate import read_shared_cast

SUFFIXES = (".twee", ".tw", ".html", ".htm")


@dataclass
class StoryDraft:
    name: str
    filename: str
    yaml_text: str
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> int:
        return count_errors(self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    @property
    def download_href(self) -> str:
        encoded = base64.b64encode(self.yaml_text.encode("utf-8")).decode("ascii")
        return f"data:text/yaml;charset=utf-8;base64,{encoded}"


def _is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("section", "staff")
    context.setdefault("limit_mb", MAX_TWINE_BYTES // (1024 * 1024))
    return render(request, "authoring/twine.html", context, status=status)


@user_passes_test(_is_staff)
@require_http_methods(["GET", "POST"])
def twine_import(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None or not upload.name:
        return _page(request, 400, error="Choose a Twine file to import")
    name = upload.name.rsplit("/", 1)[-1]
    if not name.lower().endswith(SUFFIXES):
        return _page(
            request, 400, error="The file must be Twine 2 HTML (.html) or Twee (.twee, .tw)"
        )
    if upload.size is not None and upload.size > MAX_TWINE_BYTES:
        return _page(request, 400, error=f"The file is larger than {MAX_TWINE_BYTES // 1048576} MB")
    raw = upload.read(MAX_TWINE_BYTES + 1)
    try:
        stories, problems = stories_from_bytes(raw, name)
    except TwineInputError as exc:
        return _page(request, 400, error=exc.diagnostic.message, diagnostic=exc.diagnostic)
    wanted = request.POST.get("story", "").strip()
    if wanted:
        stories = [s for s in stories if s.name == wanted]
        if not stories:
            return _page(request, 400, error=f"There is no story called '{wanted}' in {name}")
    members, _ = read_shared_cast(bundled_path())
    shared = frozenset(m.id for m in members)
    drafts = []
    for story in stories:
        result = draft(
            story,
            name,
            f"{story.name or 'story'}.yaml",
            shared,
            comment=f"Imported from Twine story '{story.name}' ({name}).",
        )
        scenario_id = result.imported.scenario_id
        drafts.append(
            StoryDraft(
                story.name, f"{scenario_id}.yaml", result.yaml_text, problems + result.diagnostics
            )
        )
        problems = []
    return _page(request, drafts=drafts, uploaded=name)
