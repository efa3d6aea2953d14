"""``kaleidoscope see``: platform audience rules, "who can see my post", "can this child be found".

Exit status: 0 done, 2 unusable input (unknown platform or audience, bad answers file).
Nothing typed or read here is stored or logged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

see_app = typer.Typer(
    help="See: who can see a post, what platforms show, and whether a child can be found.",
    no_args_is_help=True,
)

FORMATS_TEXT_JSON = ("text", "json")
FORMATS_CHILD = ("text", "markdown", "json")
# The post settings' field names, as the options that set them are spelled.
OPTION_OF_FIELD = {
    "platform": "--platform",
    "audience": "--audience",
    "tagged": "--tagged",
    "hashtags": "--hashtag",
}


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise _fail(f"unknown --format '{fmt}' (use {', '.join(allowed)})")


def _write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _print(text: str, style: str | None = None) -> None:
    out.print(text, markup=False, style=style, soft_wrap=False)


# --------------------------------------------------------------------------- platforms
@see_app.command("platforms")
def see_platforms(
    platform: Annotated[
        str | None, typer.Option("--platform", help="Only this platform (e.g. facebook)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """The audience rules of each platform, with sources and review dates."""
    from kaleidoscope.see.rules import TOPICS, bundled_rules

    _check_format(fmt, FORMATS_TEXT_JSON)
    rules = bundled_rules()
    platforms = rules.platforms
    if platform is not None:
        chosen = rules.get(platform)
        if chosen is None:
            known = ", ".join(rules.ids())
            raise _fail(f"--platform: unknown platform '{platform}' (known: {known})")
        platforms = [chosen]
    notice = " ".join(rules.notice.format(date=rules.last_reviewed.isoformat()).split())
    if fmt == "json":
        _write_json({
            "notice": notice,
            "certainty_labels": {k.value: v for k, v in rules.certainty_labels.items()},
            "platforms": [p.model_dump(mode="json") for p in platforms],
        })
        return
    _print(notice, style="bold")
    for p in platforms:
        out.rule(f"{p.name} ({p.id}) · {p.owner} · {p.depth.value}", style="cyan")
        for topic, fact in p.facts():
            _print(f"{TOPICS[topic]}", style="bold")
            _print(" ".join(fact.text.split()))
            if fact.under_18:
                _print("Under 18: " + " ".join(fact.under_18.split()))
            if topic == "post_audience":
                options = ", ".join(f"{o.id} ({o.label})" for o in p.post_audience.options)
                _print(f"Audience options: {options}", style="dim")
            if topic == "private_account":
                items = ", ".join(rules.item_labels(p.private_account.still_visible))
                _print(f"Still visible: {items}", style="dim")
            _print(
                f"Source: {fact.source.citation} · {fact.certainty.value}: "
                f"{rules.certainty_labels[fact.certainty]} · last reviewed "
                f"{fact.last_reviewed.isoformat()}",
                style="dim",
            )
            out.print()
    _print(notice, style="bold")


# --------------------------------------------------------------------------- post
def _parse_tagged(values: list[str]) -> list[dict[str, str]]:
    from kaleidoscope.see.post import TagAudience

    allowed = ", ".join(a.value for a in TagAudience)
    people = []
    for value in values:
        name, _, audience = value.rpartition(":")
        audience = audience.strip()
        if audience not in {a.value for a in TagAudience}:
            raise _fail(
                f"--tagged '{value}': unknown audience '{audience}' "
                f"(use NAME:AUDIENCE or AUDIENCE, AUDIENCE one of: {allowed})"
            )
        people.append({"name": name.strip(), "audience": audience})
    return people


@see_app.command("post")
def see_post(
    platform: Annotated[str, typer.Option("--platform", help="e.g. facebook, instagram, x")],
    audience: Annotated[
        str | None,
        typer.Option("--audience", help="The post's audience option (default: the platform's)"),
    ] = None,
    tagged: Annotated[
        list[str] | None,
        typer.Option(
            "--tagged",
            help="A tagged person as NAME:AUDIENCE or AUDIENCE, where AUDIENCE is their own "
            "audience: only_me, friends, followers, friends_of_friends, public (repeatable)",
        ),
    ] = None,
    private: Annotated[
        bool | None,
        typer.Option("--private/--public", help="Whether the account is private (if known)"),
    ] = None,
    hashtag: Annotated[
        list[str] | None, typer.Option("--hashtag", help="A hashtag in the post (repeatable)")
    ] = None,
    location: Annotated[bool, typer.Option("--location", help="The post has a location")] = False,
    photo: Annotated[bool, typer.Option("--photo", help="The post has a photo or video")] = False,
    no_reshare: Annotated[
        bool, typer.Option("--no-reshare", help="Sharing is switched off for this post")
    ] = False,
    disappearing: Annotated[
        bool, typer.Option("--disappearing", help="A story or snap that disappears")
    ] = False,
    search_indexing: Annotated[
        bool | None,
        typer.Option(
            "--search-indexing/--no-search-indexing",
            help="Your search-engine setting on the platform (if known)",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Who can see a post with these settings, and how it can travel."""
    from kaleidoscope.see.post import SettingsError, exposure_json, parse_settings, who_can_see

    _check_format(fmt, FORMATS_TEXT_JSON)
    data = {
        "platform": platform,
        "audience": audience,
        "account_private": private,
        "tagged": _parse_tagged(tagged or []),
        "hashtags": hashtag or [],
        "location": location,
        "has_media": photo,
        "reshares_allowed": not no_reshare,
        "disappearing": disappearing,
        "search_indexing": search_indexing,
    }
    try:
        exposure = who_can_see(parse_settings(data))
    except SettingsError as exc:
        option = OPTION_OF_FIELD.get(exc.field.split(".")[0], exc.field)
        message = str(exc).split(": ", 1)[1]
        raise _fail(f"{option}: {message}") from None
    if fmt == "json":
        _write_json(exposure_json(exposure))
        return
    _show_exposure(exposure)


def _show_exposure(exposure: Any) -> None:
    from kaleidoscope.see.texts import bundled_texts

    t = bundled_texts("post.yaml")
    values = {"platform": exposure.platform_name, "audience": exposure.audience_label}
    _print(exposure.notice, style="bold")
    out.rule(t.get("headings.title", **values), style="cyan")
    _print(t.get("headings.audience", **values))
    table = Table(title=t.get("headings.audiences"), show_lines=True, expand=True)
    table.add_column(t.get("headings.column_who"), ratio=2)
    table.add_column(t.get("headings.column_visibility"), ratio=1)
    table.add_column(t.get("headings.column_why"), ratio=5)
    for row in exposure.audiences:
        table.add_row(row.label, row.visibility_label, row.reason)
    out.print(table)
    out.rule(t.get("headings.properties"))
    for note in exposure.properties:
        _print(f"{note.label} ({t.get('headings.level')}: {note.level.value}): {note.meaning}",
               style="bold")
        for point in note.points:
            _print(f"  - {point}")
    out.rule(t.get("headings.still_visible", **values))
    _print(", ".join(exposure.still_visible))
    if exposure.notes:
        out.rule(t.get("headings.notes"))
        for note in exposure.notes:
            _print(f"- {note}")
    out.rule(t.get("headings.facts", **values))
    for fact in exposure.facts:
        _print(
            f"{fact.topic_label}: {fact.source.citation} ({t.get('headings.certainty')}: "
            f"{fact.certainty.value}; {t.get('headings.reviewed')} "
            f"{fact.last_reviewed.isoformat()})",
            style="dim",
        )
    _print(exposure.notice, style="bold")


# --------------------------------------------------------------------------- child
def _read_answers(path: Path) -> object:
    display = "standard input" if str(path) == "-" else str(path)
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _fail(f"{display}: cannot read the answers file: {reason}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(f"{display}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None


def _ask_print(text: str, style: str | None = None) -> None:
    err.print(text, markup=False, style=style, soft_wrap=False)


def _ask(questionnaire: Any) -> dict[str, Any]:
    """Ask each question in the terminal; blank answers count as "not sure".

    Questions go to standard error, so ``--format markdown > report.md`` keeps only the
    report on standard output.
    """
    from kaleidoscope.see.child import NOT_SURE, Kind

    answers: dict[str, Any] = {}
    for number, question in enumerate(questionnaire.questions, 1):
        err.print()
        _ask_print(f"{number}. {' '.join(question.text.split())}", style="bold")
        if question.help:
            _ask_print(f"   {question.help}", style="dim")
        for index, option in enumerate(question.options, 1):
            _ask_print(f"   {index}) {option.label}")
        several = question.kind is Kind.MULTI
        prompt = questionnaire.prompts["answer_many" if several else "answer_one"]
        again = questionnaire.prompts["again_many" if several else "again_one"]
        while True:
            sys.stderr.write("   " + prompt)
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise _fail(questionnaire.prompts["ran_out"])
            reply = line.strip()
            if not reply:
                answers[question.id] = [NOT_SURE] if several else NOT_SURE
                break
            parts = [p.strip() for p in reply.split(",") if p.strip()]
            if all(p.isdigit() and 1 <= int(p) <= len(question.options) for p in parts) and (
                several or len(parts) == 1
            ):
                values = [question.options[int(p) - 1].value for p in parts]
                answers[question.id] = values if several else values[0]
                break
            _ask_print("   " + again, style="yellow")
    return answers


@see_app.command("child")
def see_child(
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers", help="Answers as JSON (a file, or - for standard input)"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, markdown or json")] = "text",
    template: Annotated[
        bool, typer.Option("--template", help="Print a blank answers file and stop")
    ] = False,
) -> None:
    """Can this child be found? A traceability report with the changes that help.

    Without --answers the questions are asked one by one.
    """
    from kaleidoscope.see.child import (
        AnswerError,
        answers_template,
        assess,
        bundled_questionnaire,
        parse_answers,
        report_markdown,
    )

    _check_format(fmt, FORMATS_CHILD)
    questionnaire = bundled_questionnaire()
    if template:
        _write_json(answers_template(questionnaire))
        return
    if answers_file is None:
        _ask_print(questionnaire.title, style="bold")
        for paragraph in questionnaire.intro:
            _ask_print(" ".join(paragraph.split()))
        raw: object = _ask(questionnaire)
        display = "your answers"
    else:
        raw = _read_answers(answers_file)
        display = "standard input" if str(answers_file) == "-" else str(answers_file)
    try:
        report = assess(parse_answers(raw, questionnaire), questionnaire)
    except AnswerError as exc:
        raise _fail(f"{display}: {exc}") from None
    if fmt == "json":
        _write_json(report.model_dump(mode="json"))
    elif fmt == "markdown":
        sys.stdout.write(report_markdown(report, questionnaire))
    else:
        out.print(Markdown(report_markdown(report, questionnaire)))


@see_app.command("questions")
def see_questions(
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """The child questionnaire: each question id with its allowed answers."""
    from kaleidoscope.see.child import bundled_questionnaire

    _check_format(fmt, FORMATS_TEXT_JSON)
    questionnaire = bundled_questionnaire()
    if fmt == "json":
        _write_json([
            {
                "id": q.id,
                "kind": q.kind.value,
                "text": " ".join(q.text.split()),
                "help": q.help,
                "options": [{"value": o.value, "label": o.label} for o in q.options],
            }
            for q in questionnaire.questions
        ])
        return
    for q in questionnaire.questions:
        kind = questionnaire.prompts["kind_many" if q.kind.value == "multi" else "kind_one"]
        _print(f"{q.id} ({kind}): {' '.join(q.text.split())}", style="bold")
        _print("   " + ", ".join(f"{o.value} = {o.label}" for o in q.options))


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    """Add the ``see`` command group to the main ``kaleidoscope`` app."""
    del scenarios_app  # the See tools have no scenario subcommands
    app.add_typer(see_app, name="see")
