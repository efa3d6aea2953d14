"""``kaleidoscope organise``: assess readiness, validate the content, print the schema,
export the report, plan and policy. Registered by ``kaleidoscope.cli``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
import yaml
from rich.console import Console
from rich.table import Table

from kaleidoscope.diagnostics import count_errors

organise_app = typer.Typer(
    help="Organise: readiness, benchmarked, with an action plan and a draft policy.",
    no_args_is_help=True,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

FORMATS = {
    "report": ("md",),
    "plan": ("md", "csv", "pdf"),
    "policy": ("md", "pdf", "docx"),
}


def register(app: typer.Typer, _scenarios: typer.Typer) -> None:
    app.add_typer(organise_app, name="organise")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(code)


def _content_error(exc: Exception) -> typer.Exit:
    from kaleidoscope.organise.validate import ContentError

    if isinstance(exc, ContentError):
        for diagnostic in exc.diagnostics:
            err.print(str(diagnostic), markup=False, soft_wrap=True)
        return typer.Exit(1)
    raise exc


@organise_app.command("validate")
def validate(
    instrument: Annotated[Path | None, typer.Option(help="An instrument YAML file")] = None,
    policy: Annotated[Path | None, typer.Option(help="A policy clauses YAML file")] = None,
    cases: Annotated[Path | None, typer.Option(help="A case studies YAML file")] = None,
) -> None:
    """Check the instrument, policy and case studies; problems as path:line:column."""
    from kaleidoscope.organise.validate import check_cases, check_instrument, check_policy

    inst = check_instrument(instrument)
    diagnostics = [
        *inst.diagnostics,
        *check_policy(policy, instrument=inst.value).diagnostics,
        *check_cases(cases, instrument=inst.value).diagnostics,
    ]
    for diagnostic in diagnostics:
        out.print(str(diagnostic), markup=False, soft_wrap=True)
    errors = count_errors(diagnostics)
    err.print(f"3 file(s) checked: {errors} error(s)")
    raise typer.Exit(1 if errors else 0)


@organise_app.command("schema")
def schema(
    kind: Annotated[str, typer.Option(help="instrument, policy or cases")] = "instrument",
) -> None:
    """Print the JSON Schema of an instrument (or policy, or case studies) file."""
    from kaleidoscope.organise.model import SCHEMAS, json_schema_text

    if kind not in SCHEMAS:
        raise _fail(f"unknown --kind '{kind}' (use {', '.join(SCHEMAS)})")
    sys.stdout.write(json_schema_text(kind) + "\n")


def _ask(console: Console) -> dict[str, str]:
    from kaleidoscope.organise.validate import bundled_instrument

    inst = bundled_instrument()
    answers: dict[str, str] = {}
    console.print("Answer for your organisation. Type the number of an answer; q stops.\n")
    for theme in inst.themes:
        console.print(f"[bold]{theme.title}[/bold]")
        for q in inst.by_theme(theme.id):
            options = inst.scale_of(q).options
            console.print(q.lead, markup=False)
            for number, option in enumerate(options, start=1):
                console.print(f"  {number}. {option.text}", markup=False)
            while True:
                try:
                    raw = input("> ").strip().lower()
                except EOFError:
                    raw = "q"
                if raw == "q":
                    return answers
                if raw.isdigit() and 1 <= int(raw) <= len(options):
                    answers[q.id] = options[int(raw) - 1].id
                    break
                console.print(f"Type a number from 1 to {len(options)}, or q.")
        console.print()
    return answers


@organise_app.command("assess")
def assess(
    answers: Annotated[
        Path | None, typer.Option(help="A YAML or JSON answers file; none: ask interactively")
    ] = None,
    organisation: Annotated[str, typer.Option(help="Your organisation's name")] = "",
    save: Annotated[Path | None, typer.Option(help="Write the answers to this YAML file")] = None,
) -> None:
    """Assess your organisation: the profile, benchmarks and the top actions."""
    from kaleidoscope.organise.answers import AnswerFile, load_answers
    from kaleidoscope.organise.plan import action_plan
    from kaleidoscope.organise.results import assess as score
    from kaleidoscope.organise.results import compare, text
    from kaleidoscope.organise.validate import ContentError, bundled_instrument

    inst = bundled_instrument()
    if answers is not None:
        try:
            found = load_answers(answers, inst)
        except ContentError as exc:
            raise _content_error(exc) from None
    else:
        found = AnswerFile("<interactive>", lead=_ask(out), when=date.today())
        if not found.lead:
            raise _fail("no answers given", 1)
    found.organisation = organisation or found.organisation
    result = score(inst, found.lead, found.staff)
    table = Table(title=text("heading_profile"))
    for column in (text("label_theme"), text("label_lead"), text("label_staff")):
        table.add_column(column)
    for t in result.themes:
        table.add_row(
            t.title,
            f"{t.lead}%" if t.lead is not None else "-",
            f"{t.staff}%" if t.staff is not None else "-",
        )
    out.print(table)
    if found.staff and result.withheld:
        out.print(result.withheld_message())
    out.print(f"\n[bold]{text('heading_benchmarks')}[/bold]")
    for c in compare(result):
        out.print(f"- {c.ours} {c.theirs} ({c.verdict_text})", markup=False, soft_wrap=True)
    out.print(f"\n[bold]{text('heading_plan')}[/bold]")
    for action in action_plan(result)[:5]:
        out.print(f"{action.rank}. {action.title} (due {action.due})", markup=False)
    if save is not None:
        save.write_text(yaml.safe_dump(found.to_data(), sort_keys=False), "utf-8")
        err.print(f"answers written to {save}")


@organise_app.command("export")
def export(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Answers files, oldest first; the last is exported, all make the trend"
        ),
    ],
    what: Annotated[str, typer.Option(help="report, plan or policy")] = "plan",
    fmt: Annotated[str, typer.Option("--format", help="md, csv, pdf or docx")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file")] = None,
) -> None:
    """Export the report (md), action plan (md, csv, pdf) or draft policy (md, pdf, docx)."""
    from kaleidoscope.organise import exports
    from kaleidoscope.organise.answers import load_answers
    from kaleidoscope.organise.plan import action_plan, draft_policy
    from kaleidoscope.organise.results import assess as score
    from kaleidoscope.organise.results import compare, gaps, trend, trend_point
    from kaleidoscope.organise.validate import ContentError, bundled_instrument, bundled_policy

    if what not in FORMATS:
        raise _fail(f"unknown --what '{what}' (use {', '.join(FORMATS)})")
    if fmt not in FORMATS[what]:
        raise _fail(f"--what {what} exports as {', '.join(FORMATS[what])}, not '{fmt}'")
    if fmt in ("pdf", "docx") and output is None:
        raise _fail(f"--format {fmt} needs --output FILE")
    inst = bundled_instrument()
    try:
        loaded = [load_answers(path, inst) for path in files]
    except ContentError as exc:
        raise _content_error(exc) from None
    current = loaded[-1]
    result = score(inst, current.lead, current.staff)
    org = current.organisation
    data: bytes
    if what == "policy":
        draft = draft_policy(bundled_policy(), result, organisation=org, approver=current.approver)
        if fmt == "md":
            data = exports.policy_markdown(draft).encode()
        elif fmt == "pdf":
            data = exports.policy_pdf(draft)
        else:
            data = exports.policy_docx(draft)
    else:
        plan = action_plan(result)
        if fmt == "csv":
            data = exports.plan_csv(plan).encode()
        elif fmt == "pdf":
            data = exports.plan_pdf(result, plan, organisation=org)
        elif what == "plan":
            data = "\n".join(exports.plan_markdown_lines(plan)).encode()
        else:
            points = [
                trend_point(
                    str(f.when or i + 1),
                    f.when or date.min.replace(year=1 + i),
                    score(inst, f.lead, f.staff),
                )
                for i, f in enumerate(loaded)
            ]
            data = exports.report_markdown(
                result,
                compare(result),
                gaps(result),
                plan,
                organisation=org,
                trend=trend(inst, points) if len(points) > 1 else (),
                trend_labels=[p.label for p in sorted(points, key=lambda p: p.when)],
            ).encode()
    if output is None:
        sys.stdout.write(data.decode())
    else:
        output.write_bytes(data)
        err.print(f"{what} written to {output}")
