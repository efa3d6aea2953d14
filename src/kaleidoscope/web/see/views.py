"""See pages: thin forms over ``kaleidoscope.see`` (which does all the reasoning).

Answers are sent by POST (so they stay out of addresses and browser history), checked by
the domain's own parsers (``parse_settings``, ``parse_answers``) and never stored or logged.
"""

from __future__ import annotations

import os
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from kaleidoscope.guidance.registry import Guidance, load_registry
from kaleidoscope.see.child import (
    AnswerError,
    Answers,
    Kind,
    Questionnaire,
    assess,
    bundled_questionnaire,
    parse_answers,
    report_markdown,
)
from kaleidoscope.see.post import (
    SettingsError,
    TagAudience,
    parse_settings,
    who_can_see,
)
from kaleidoscope.see.rules import TOPICS, Platform, Rules, bundled_rules
from kaleidoscope.see.texts import bundled_texts

TAG_ROWS = 3
TRISTATE = {"yes": True, "no": False, "not_sure": None}
ABOUT = ("has_media", "location", "disappearing", "reshares_off")
_SPLIT_TAGS = re.compile(r"[\s,]+")
_TAG_FIELD = re.compile(r"^tagged\.(\d+)\.(name|audience)")


@cache
def text() -> dict[str, Any]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def rules() -> Rules:
    return bundled_rules()


def notice(r: Rules) -> str:
    return " ".join(r.notice.format(date=r.last_reviewed.isoformat()).split())


def guidance(keys: list[str]) -> list[Guidance]:
    registry = load_registry()
    return [g for k in keys if (g := registry.get(k)) is not None]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    r = rules()
    return render(request, "see/index.html", {
        "words": text(), "notice": notice(r), "platforms": r.platforms,
    })


# --- who can see my post -------------------------------------------------------------------
def _post_form_context(
    platform: Platform, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    r = rules()
    return {
        "words": text(),
        "platform": platform,
        "values": values,
        "errors": errors,
        "tag_rows": range(1, TAG_ROWS + 1),
        "tag_audiences": [(a.value, text()["post_form"]["tag_audiences"][a.value])
                          for a in TagAudience],
        "notice": notice(r),
    }


def _platform_page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    r = rules()
    return render(request, "see/post_platform.html", {
        "words": text(), "platforms": r.platforms, "error": error, "notice": notice(r),
    }, status=status)


def _read_post_form(data: QueryDict, platform: Platform) -> tuple[
    dict[str, Any], dict[str, Any], dict[str, str]
]:
    """Form -> (values to show again, settings for parse_settings, errors)."""
    words = text()["errors"]
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "audience": data.get("audience", ""),
        "account_private": data.get("account_private", ""),
        "search_indexing": data.get("search_indexing", ""),
        "hashtags": data.get("hashtags", "")[:3000],
        "about": data.getlist("about"),
    }
    settings: dict[str, Any] = {"platform": platform.id}
    if values["audience"]:
        settings["audience"] = values["audience"]
    for name in ("account_private", "search_indexing"):
        value = values[name]
        if value and value not in TRISTATE:
            errors[name] = words[name]
        elif value:
            settings[name] = TRISTATE[value]
    about = values["about"]
    if any(a not in ABOUT for a in about):
        errors["about"] = words["about"]
    settings["has_media"] = "has_media" in about
    settings["location"] = "location" in about
    settings["disappearing"] = "disappearing" in about
    settings["reshares_allowed"] = "reshares_off" not in about
    tags = [t for t in _SPLIT_TAGS.split(values["hashtags"]) if t.strip("#")]
    settings["hashtags"] = tags
    tagged = []
    for n in range(1, TAG_ROWS + 1):
        name = data.get(f"tag_name_{n}", "").strip()
        audience = data.get(f"tag_audience_{n}", "")
        values[f"tag_name_{n}"], values[f"tag_audience_{n}"] = name[:200], audience
        if audience:
            tagged.append({"name": name, "audience": audience})
        elif name:
            errors[f"tag_audience_{n}"] = words["tagged"].format(n=n)
    settings["tagged"] = tagged
    return values, settings, errors


def _settings_error(exc: SettingsError, values: dict[str, Any]) -> tuple[str, str]:
    """(form field id, message) for a SettingsError from the domain."""
    words = text()["errors"]
    field = exc.field
    match = _TAG_FIELD.match(field)
    if match:
        # Rows left empty are skipped: find the form row of the n-th tagged person.
        rows = [n for n in range(1, TAG_ROWS + 1) if values.get(f"tag_audience_{n}")]
        index = int(match.group(1))
        n = rows[index] if index < len(rows) else 1
        if match.group(2) == "name":
            return f"tag_name_{n}", words["tag_name"].format(n=n)
        return f"tag_audience_{n}", words["tagged"].format(n=n)
    if field.startswith("hashtags"):
        message = str(exc).split(": ", 1)[-1]
        return "hashtags", words["hashtags"].format(message=message)
    if field in ("audience", "account_private", "search_indexing"):
        return field, words[field]
    return "audience", str(exc)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def post_tool(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET): the platform. Step 2 (GET ?platform=): its settings. POST: the answer."""
    source = request.POST if request.method == "POST" else request.GET
    platform_id = source.get("platform", "")
    if not platform_id:
        if request.method == "POST" or "platform" in request.GET:
            return _platform_page(request, text()["errors"]["platform_missing"])
        return _platform_page(request)
    platform = rules().get(platform_id)
    if platform is None:
        return _platform_page(request, text()["errors"]["platform"], status=400)
    if request.method == "GET":
        default = {"audience": platform.post_audience.default or "", "about": []}
        return render(request, "see/post_settings.html",
                      _post_form_context(platform, default, {}))
    values, settings, errors = _read_post_form(request.POST, platform)
    exposure = None
    if not errors:
        try:
            exposure = who_can_see(parse_settings(settings))
        except SettingsError as exc:
            field, message = _settings_error(exc, values)
            errors[field] = message
    if exposure is None:
        return render(request, "see/post_settings.html",
                      _post_form_context(platform, values, errors), status=400)
    t = bundled_texts("post.yaml")
    head = {key: t.get(f"headings.{key}", platform=platform.name,
                       audience=exposure.audience_label)
            for key in ("title", "audience", "audiences", "properties", "still_visible",
                        "notes", "facts", "level", "column_who", "column_visibility",
                        "column_why", "source", "reviewed", "certainty")}
    return _private(render(request, "see/post_result.html", {
        "words": text(),
        "platform": platform,
        "exposure": exposure,
        "head": head,
        "guidance": guidance(exposure.guidance),
    }))


# --- can this child be found? ----------------------------------------------------------------
def _child_form(
    request: HttpRequest, answers: dict[str, list[str]], errors: dict[str, str], status: int = 200
) -> HttpResponse:
    q = bundled_questionnaire()
    return render(request, "see/child_form.html", {
        "words": text(), "q": q, "answers": answers, "errors": errors, "kinds": Kind,
        "notice": " ".join(q.notice.format(date=q.last_reviewed.isoformat()).split()),
    }, status=status)


def _raw_answers(data: QueryDict, q: Questionnaire) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The form's answers as parse_answers expects them, and as lists for redisplay."""
    raw: dict[str, Any] = {}
    shown: dict[str, list[str]] = {}
    for key in data:
        if key == "csrfmiddlewaretoken":
            continue
        values = [v for v in data.getlist(key) if v]
        if not values:
            continue
        question = q.question(key)
        shown[key] = values
        if question is not None and question.kind is Kind.SINGLE and len(values) == 1:
            raw[key] = values[0]
        else:
            raw[key] = values
    return raw, shown


def _answer_error(exc: AnswerError, q: Questionnaire) -> tuple[str, str]:
    question = q.question(exc.field)
    message = str(exc).split(": ", 1)[-1]
    if question is None:
        return "platforms", text()["errors"]["answer"].format(
            question="The form had an answer to a question we do not ask:", message=message
        )
    title = " ".join(question.text.split())
    keep = ("cannot be combined", "at least one", "unknown platform")
    if not any(words in message for words in keep):
        message = text()["errors"]["not_a_choice"]
    return question.id, text()["errors"]["answer"].format(question=title, message=message)


def _checked_answers(request: HttpRequest) -> tuple[Answers | None, HttpResponse | None]:
    q = bundled_questionnaire()
    raw, shown = _raw_answers(request.POST, q)
    try:
        return parse_answers(raw, q), None
    except AnswerError as exc:
        field, message = _answer_error(exc, q)
        return None, _child_form(request, shown, {field: message}, status=400)


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def child_tool(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _child_form(request, {}, {})
    answers, problem = _checked_answers(request)
    if answers is None:
        assert problem is not None
        return problem
    q = bundled_questionnaire()
    report = assess(answers, q)
    r = rules()
    reviewed = {}
    for note in report.platforms:
        platform = r.get(note.platform)
        if platform is not None:
            reviewed[note.platform] = {
                "private_account": platform.private_account.last_reviewed,
                "under_18": platform.under_18.last_reviewed,
            }
    return _private(render(request, "see/child_report.html", {
        "words": text(), "q": q, "report": report, "answers": answers,
        "reviewed": reviewed, "topics": TOPICS,
    }))


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def child_markdown(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # a bookmarked or shared link: the answers are not in it
        return redirect("see:child")
    answers, problem = _checked_answers(request)
    if answers is None:
        assert problem is not None
        return problem
    q = bundled_questionnaire()
    body = report_markdown(assess(answers, q), q)
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="can-this-child-be-found.md"'
    return _private(response)


# --- sources, and reporting a wrong fact ------------------------------------------------------
FACT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,80}$")


def _fact(fact_id: str) -> dict[str, Any] | None:
    """A guidance key, or ``platform.topic``, as the rows the sources page shows."""
    if not FACT_ID.match(fact_id):
        return None
    entry = load_registry().get(fact_id)
    if entry is not None:
        return {
            "id": entry.key, "title": f"{entry.title} ({entry.citation})", "text": entry.summary,
            "url": entry.url, "source": entry.publisher, "checked": entry.last_checked,
            "due": None, "status": str(entry.status), "applies": entry.jurisdiction.value,
        }
    platform_id, _, topic = fact_id.partition(".")
    platform = rules().get(platform_id)
    if platform is None or topic not in TOPICS:
        return None
    fact = dict(platform.facts())[topic]
    return {
        "id": fact_id, "title": f"{platform.name}: {TOPICS[topic]}",
        "text": " ".join(fact.text.split()), "url": fact.source.url,
        "source": f"{fact.source.publisher}, {fact.source.title}", "checked": fact.last_reviewed,
        "due": fact.review_due(), "status": None, "applies": None,
    }


def corrections_email() -> str:
    """Where corrections go: the KALEIDOSCOPE_CORRECTIONS_EMAIL setting or environment."""
    configured = getattr(settings, "KALEIDOSCOPE_CORRECTIONS_EMAIL", "") or os.environ.get(
        "KALEIDOSCOPE_CORRECTIONS_EMAIL", ""
    )
    return configured.strip() if isinstance(configured, str) else ""


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    fact_id = request.GET.get("fact", "").strip()[:120]
    fact = _fact(fact_id) if fact_id else None
    email = corrections_email()
    mailto = ""
    if email:
        reference = fact["id"] if fact else (fact_id if FACT_ID.match(fact_id) else "")
        query = urlencode({
            "subject": f"Kaleidoscope: wrong fact {reference}".strip(),
            "body": f"Reference: {reference}\nWhat is wrong:\nWhere the correct wording is:\n",
        }).replace("+", "%20")
        mailto = f"mailto:{email}?{query}"
    return render(request, "see/sources.html", {
        "words": text(), "fact": fact, "asked": fact_id, "mailto": mailto,
    })
