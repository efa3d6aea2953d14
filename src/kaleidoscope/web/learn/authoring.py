"""Staff bring their organisation's own dilemmas in: upload, read the messages, publish.

An upload (Twee 3, Twine 2 HTML or scenario YAML, up to the one size limit for story
files) becomes a stored version: a draft while it has errors, with every message in the
terms of the file that came in (Twine passages and lines for Twine). A valid version
can be published: it then appears in the library, plays in the browser and in group
sessions like a bundled scenario, and the version before it is withdrawn (plays that
began on it keep it). Any version can be downloaded as Twine again, drafts included.
Story JavaScript and CSS travel only inside those downloads; no page here runs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import user_passes_test
from django.db import IntegrityError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from kaleidoscope.diagnostics import Diagnostic, count_errors
from kaleidoscope.learn.library import bundled_library
from kaleidoscope.learn.source import (
    MAX_FILE_BYTES,
    SourceError,
    limit_text,
    parse_yaml,
    too_large_message,
)
from kaleidoscope.learn.twine.exporter import export_text
from kaleidoscope.learn.twine.html import write_html
from kaleidoscope.learn.twine.importer import draft, is_identifier, stories_from_bytes
from kaleidoscope.learn.twine.story import TwineInputError, decode_twine
from kaleidoscope.learn.twine.twee import write_twee
from kaleidoscope.learn.validate import check_document
from kaleidoscope.web.core.views import see_other

from . import stories
from .models import StoryVersion
from .services import write_transaction

TWINE_SUFFIXES = (".twee", ".tw", ".html", ".htm")
YAML_SUFFIXES = (".yaml", ".yml")
DOWNLOADS = {
    "twee": ("text/plain; charset=utf-8", "twee"),
    "html": ("text/html; charset=utf-8", "html"),
    "yaml": ("text/yaml; charset=utf-8", "yaml"),
}


def _is_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def _latest() -> list[StoryVersion]:
    """Each story's newest version, and its published one if that is older."""
    shown: list[StoryVersion] = []
    newest: set[str] = set()
    for version in StoryVersion.objects.defer("yaml_text").order_by("scenario_id", "-version"):
        first = version.scenario_id not in newest
        newest.add(version.scenario_id)
        if first or version.state == StoryVersion.PUBLISHED:
            shown.append(version)
    return shown


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("section", "staff")
    context.setdefault("limit", limit_text(MAX_FILE_BYTES))
    context.setdefault("versions", _latest())
    return render(request, "authoring/twine.html", context, status=status)


def _report(diagnostics: Iterable[Diagnostic]) -> list[dict[str, Any]]:
    return [
        {"text": str(d), "error": d.is_error, "line": d.line, "code": d.code}
        for d in sorted(diagnostics, key=lambda d: (d.line, d.column, d.code))
    ]


def _store(
    scenario_id: str, title: str, source: str, yaml_text: str, report: list[Diagnostic], user: Any
) -> StoryVersion:
    for _attempt in range(3):  # two uploads of one story at once: the second retries
        try:
            with write_transaction():
                last = StoryVersion.objects.filter(scenario_id=scenario_id).aggregate(
                    Max("version")
                )["version__max"]
                return StoryVersion.objects.create(
                    scenario_id=scenario_id,
                    version=(last or 0) + 1,
                    title=title[:300] or scenario_id,
                    source_name=source[:255],
                    yaml_text=yaml_text,
                    report=_report(report),
                    errors=count_errors(report),
                    uploaded_by=user,
                )
        except IntegrityError:
            continue
    raise IntegrityError("could not number the version")  # pragma: no cover


def _from_yaml(raw: bytes, name: str, user: Any) -> list[StoryVersion]:
    text = decode_twine(raw, name)  # TwineInputError: not UTF-8 (the same words as Twine)
    try:
        document = parse_yaml(text, name)
    except SourceError as exc:
        raise TwineInputError(exc.diagnostic) from None
    checked = check_document(document, stories.shared_ids())
    data = document.data if isinstance(document.data, dict) else {}
    raw_id, title = data.get("id"), data.get("title")
    scenario_id = raw_id if isinstance(raw_id, str) and is_identifier(raw_id) else "upload"
    return [
        _store(
            scenario_id,
            title if isinstance(title, str) else name,
            name,
            text,
            checked.diagnostics,
            user,
        )
    ]


def _from_twine(raw: bytes, name: str, wanted: str, user: Any) -> list[StoryVersion]:
    found, problems = stories_from_bytes(raw, name)
    if wanted:
        found = [s for s in found if s.name == wanted]
        if not found:
            raise LookupError(wanted)
    versions = []
    for story in found:
        result = draft(
            story,
            name,
            f"{story.name or 'story'}.yaml",
            stories.shared_ids(),
            comment=f"Imported from Twine story '{story.name}' ({name}).",
        )
        versions.append(
            _store(
                result.imported.scenario_id,
                story.name,
                name,
                result.yaml_text,
                problems + result.diagnostics,
                user,
            )
        )
        problems = []
    return versions


@user_passes_test(_is_staff)
@require_http_methods(["GET", "POST"])
def twine_import(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None or not upload.name:
        return _page(request, 400, error="Choose a Twine or scenario file to upload")
    name = Path(upload.name.replace("\\", "/")).name
    suffix = Path(name).suffix.lower()
    if suffix not in TWINE_SUFFIXES + YAML_SUFFIXES:
        return _page(
            request,
            400,
            error="The file must be Twine 2 HTML (.html), Twee (.twee, .tw) or "
            "scenario YAML (.yaml)",
        )
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return _page(request, 400, error=f"The {too_large_message(upload.size)}")
    raw = upload.read(MAX_FILE_BYTES + 1)
    try:
        if suffix in YAML_SUFFIXES:
            versions = _from_yaml(raw, name, request.user)
        else:
            versions = _from_twine(raw, name, request.POST.get("story", "").strip(), request.user)
    except TwineInputError as exc:
        return _page(request, 400, error=exc.diagnostic.message, diagnostic=exc.diagnostic)
    except LookupError as exc:
        return _page(request, 400, error=f"There is no story called '{exc.args[0]}' in {name}")
    if len(versions) == 1:
        return see_other(reverse("story_version", args=[versions[0].pk]))
    return _page(request, uploaded=versions)


def _conflict(version: StoryVersion) -> str | None:
    if version.scenario_id in bundled_library():
        return (
            f"The id '{version.scenario_id}' belongs to a scenario that comes with "
            "Kaleidoscope. Give your story its own id (the 'id:' line in ScenarioData), "
            "then upload it again."
        )
    return None


@user_passes_test(_is_staff)
@require_http_methods(["GET"])
def story_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(StoryVersion, pk=pk)
    others = StoryVersion.objects.filter(scenario_id=version.scenario_id).defer("yaml_text")
    return render(
        request,
        "authoring/version.html",
        {
            "section": "staff",
            "version": version,
            "others": [v for v in others if v.pk != version.pk],
            "conflict": _conflict(version),
            "done": request.GET.get("done", ""),
            "play_url": reverse("scenario", args=[version.scenario_id]),
        },
    )


@user_passes_test(_is_staff)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(StoryVersion, pk=pk)
    if version.errors or _conflict(version) or stories.scenario_of(version) is None:
        return see_other(reverse("story_version", args=[pk]) + "?done=refused")
    with write_transaction():
        StoryVersion.objects.filter(
            scenario_id=version.scenario_id, state=StoryVersion.PUBLISHED
        ).exclude(pk=pk).update(state=StoryVersion.WITHDRAWN)
        StoryVersion.objects.filter(pk=pk).update(
            state=StoryVersion.PUBLISHED, published_at=timezone.now()
        )
    stories.changed()
    return see_other(reverse("story_version", args=[pk]) + "?done=published")


@user_passes_test(_is_staff)
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(StoryVersion, pk=pk)
    with write_transaction():
        StoryVersion.objects.filter(pk=pk, state=StoryVersion.PUBLISHED).update(
            state=StoryVersion.WITHDRAWN
        )
    stories.changed()
    return see_other(reverse("story_version", args=[pk]) + "?done=unpublished")


@user_passes_test(_is_staff)
@require_http_methods(["GET"])
def download(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    if form not in DOWNLOADS:
        raise Http404("no such format")
    version = get_object_or_404(StoryVersion, pk=pk)
    content_type, suffix = DOWNLOADS[form]
    if form == "yaml":
        body = version.yaml_text
    else:
        members = list(stories.shared_cast())
        exported = export_text(
            version.yaml_text, f"{version.scenario_id}.yaml", members, stories.shared_ids()
        )
        if exported.story is None:
            raise Http404("this version cannot be exported")
        body = write_twee(exported.story) if form == "twee" else write_html([exported.story])
    response = HttpResponse(body, content_type=content_type)
    filename = f"{version.scenario_id}-v{version.version}.{suffix}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename.encode('ascii', 'replace').decode()}\"; "
        f"filename*=UTF-8''{_quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
