"""The ``kaleidoscope`` command: a thin Typer layer over the domain packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kaleidoscope.diagnostics import count_errors

app = typer.Typer(
    help="Kaleidoscope: practise judgement about social media in social work.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
scenarios_app = typer.Typer(
    help="List, validate and describe dilemma scenarios.", no_args_is_help=True
)
app.add_typer(scenarios_app, name="scenarios")

# No emoji codes: ':100:' in 'file:100:1' must stay as written. User data is escaped.
out = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def _library(paths: list[Path] | None = None):  # type: ignore[no-untyped-def]
    from kaleidoscope.learn.library import LibraryError, bundled_library, load_library

    try:
        return load_library(paths) if paths else bundled_library()
    except LibraryError as exc:
        for diagnostic in exc.diagnostics:
            err.print(str(diagnostic), markup=False)
        raise _fail(
            "the scenario library has errors; run 'kaleidoscope scenarios validate'", 1
        ) from None


@scenarios_app.command("list")
def scenarios_list(
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    path: Annotated[list[Path] | None, typer.Option("--path", help="Scenario folder")] = None,
) -> None:
    """Show the scenarios: id, title, themes, minutes."""
    library = _library(path)
    if fmt == "json":
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "themes": s.themes,
                "minutes": s.minutes,
                "audience": [a.value for a in s.audience],
                "summary": s.summary,
            }
            for s in library
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    if fmt != "table":
        raise _fail(f"unknown --format '{fmt}' (use table or json)")
    table = Table(title=f"{len(library)} scenarios")
    for column in ("id", "title", "themes", "minutes"):
        table.add_column(column, justify="right" if column == "minutes" else "left")
    for s in library:
        table.add_row(escape(s.id), escape(s.title), escape(", ".join(s.themes)), str(s.minutes))
    out.print(table)


@scenarios_app.command("validate")
def scenarios_validate(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders; none: the bundled library")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Treat warnings as errors")] = False,
) -> None:
    """Check scenario files; every problem as path:line:column: CODE message."""
    from kaleidoscope.learn.library import bundled_path
    from kaleidoscope.learn.validate import check_paths

    results = check_paths(paths or [bundled_path()])
    diagnostics = [d for r in results for d in r.diagnostics]
    for diagnostic in diagnostics:
        out.print(str(diagnostic), markup=False, soft_wrap=True)
    checked = sum(1 for r in results if r.scenario is not None or r.diagnostics)
    errors = count_errors(diagnostics, strict=strict)
    warnings = len(diagnostics) - count_errors(diagnostics)
    summary = (
        f"{checked} file(s) checked: {count_errors(diagnostics)} error(s), {warnings} warning(s)"
    )
    err.print(summary + (" (strict)" if strict else ""))
    raise typer.Exit(1 if errors else 0)


@scenarios_app.command("schema")
def scenarios_schema() -> None:
    """Print the JSON Schema of a scenario file."""
    from kaleidoscope.learn.model import json_schema_text

    sys.stdout.write(json_schema_text() + "\n")


def _parse_choices(text: str) -> list[str]:
    answers = [part.strip() for part in text.split(",") if part.strip()]
    for answer in answers:
        if not (answer.isdigit() or answer.lower() in ("b", "r")):
            raise _fail(f"--choices: '{answer}' is not a choice number, b or r")
    return answers


@app.command()
def play(
    scenario_id: Annotated[str | None, typer.Argument(metavar="ID", help="Scenario id")] = None,
    choices: Annotated[
        str | None, typer.Option(help="Play without input, e.g. 2,1,3 (b goes back, r restarts)")
    ] = None,
    path: Annotated[list[Path] | None, typer.Option("--path", help="Scenario folder")] = None,
) -> None:
    """Play a dilemma in the terminal; with no ID, list them."""
    from kaleidoscope.learn.player import Player, prompt_answers

    library = _library(path)
    if scenario_id is None:
        for s in library:
            out.print(
                f"[bold]{escape(s.id)}[/bold]  {escape(s.title)} [dim]({s.minutes} min)[/dim]"
            )
        out.print("\nPlay one with: kaleidoscope play ID")
        return
    scenario = library.get(scenario_id)
    if scenario is None:
        raise _fail(f"no scenario '{scenario_id}'; 'kaleidoscope play' lists them")
    speakers = {k: m.name for k, m in library.cast(scenario).items()}
    player = Player(scenario, out, speakers)
    answers = _parse_choices(choices) if choices is not None else prompt_answers(out)
    if not player.run(answers):
        if choices is not None:
            raise _fail(f"the choices ran out at '{player.play.current_id}' before an ending", 1)
        out.print("Stopped before the end.")


# Commands owned by other packages register themselves here, keeping this file thin.
def _register_optional() -> None:
    import importlib

    for module in (
        "kaleidoscope.check.cli",
        "kaleidoscope.web.core.cli",
        "kaleidoscope.web.lms.cli",
        "kaleidoscope.learn.twine.cli",
        "kaleidoscope.see.cli",
        "kaleidoscope.organise.cli",
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if not exc.name or not (module + ".").startswith(exc.name + "."):
                raise  # a real missing dependency, not an absent optional package
            continue
        mod.register(app, scenarios_app)


_register_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
