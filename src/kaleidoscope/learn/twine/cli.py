"""``kaleidoscope scenarios import`` and ``kaleidoscope scenarios export``.

Import reads Twee 3 or Twine 2 HTML, writes scenario YAML (a draft if the story is
incomplete) and prints the import's problems and then the validator's report on the
result. Exit status: 0 clean (warnings allowed), 1 errors found, 2 unusable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from kaleidoscope.diagnostics import Diagnostic, count_errors

if TYPE_CHECKING:
    from kaleidoscope.learn.twine.story import TwineStory

# Story names, file names and messages are user data: never read as markup or emoji
# codes (a name like 'Time Out [/draft]' must print as written, and 'file:100:1' too).
out = Console(highlight=False, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)

FORMATS = ("twee", "twine-html")


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(Text("error:", style="red"), Text(message), soft_wrap=True)
    return typer.Exit(code)


def _show(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        out.print(str(diagnostic), soft_wrap=True)


def _scenario_id(story: TwineStory, display: str) -> str:
    """The file name a story gets in a folder: its scenario id, as import will read it."""
    from kaleidoscope.learn.twine.importer import story_to_scenario

    return story_to_scenario(story, display).scenario_id


def scenarios_import(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="Twee 3 (.twee, .tw) or Twine 2 HTML file")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            help="OUT.yaml, or a folder: every story goes in as ID.yaml",
        ),
    ],
    story: Annotated[
        str | None, typer.Option("--story", help="The story to import from an archive (name)")
    ] = None,
) -> None:
    """Import a Twine story as a scenario, then validate it."""
    from kaleidoscope.learn.twine.importer import draft, read_stories
    from kaleidoscope.learn.twine.story import TwineInputError
    from kaleidoscope.learn.validate import read_shared_cast

    display = str(file)
    try:
        stories, diagnostics = read_stories(file, display)
    except TwineInputError as exc:
        _show([exc.diagnostic])
        raise _fail(f"cannot import {display}") from None
    names = ", ".join(f"'{s.name}'" for s in stories)
    into_folder = output.is_dir() or output.suffix.lower() not in (".yaml", ".yml")
    if story is not None:
        stories = [s for s in stories if s.name == story]
        if not stories:
            raise _fail(f"{display} has no story named '{story}' (it has: {names})")
        if len(stories) > 1 and not into_folder:
            raise _fail(f"{len(stories)} stories are named '{story}'; give a folder as -o")
    elif len(stories) > 1 and not into_folder:
        raise _fail(
            f"{display} holds {len(stories)} stories ({names}); choose one with "
            "--story NAME, or give a folder as -o to import them all"
        )
    total = list(diagnostics)
    pending = list(diagnostics) if len(stories) == 1 else []
    if not pending:
        _show(diagnostics)
    try:
        if into_folder:
            output.mkdir(parents=True, exist_ok=True)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(f"cannot create {output}: {exc.strerror}") from None
    folder = output if into_folder else output.parent
    members, cast_problems = read_shared_cast(folder)
    _show(cast_problems)
    shared = frozenset(m.id for m in members)
    written: set[Path] = set()
    for chosen in stories:
        destination = output
        if into_folder:
            base = _scenario_id(chosen, display)
            destination = output / f"{base}.yaml"
            n = 2
            while destination in written:
                destination = output / f"{base}-{n}.yaml"
                n += 1
        written.add(destination)
        comment = (
            f"Imported from Twine story '{chosen.name}' ({file.name}) "
            "by 'kaleidoscope scenarios import'."
        )
        result = draft(chosen, display, str(destination), shared, comment=comment)
        _show(sorted(pending + result.diagnostics, key=lambda d: (d.line, d.column)))
        pending = []
        total.extend(result.diagnostics)
        try:
            destination.write_text(result.yaml_text, encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write {destination}: {exc.strerror}") from None
        errors = count_errors(result.diagnostics)
        warnings = len(result.diagnostics) - errors
        state = "draft with errors" if errors else "valid scenario"
        err.print(
            f"'{chosen.name}' -> {destination}: {state} ({errors} error(s), {warnings} warning(s))",
            soft_wrap=True,
        )
    raise typer.Exit(1 if count_errors(total) else 0)


def scenarios_export(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="ID|FILE.yaml...", help="Scenario ids or files (several: scorm12, cmi5)"
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="twee, twine-html, scorm12 or cmi5 (default: from -o, else twee)"
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: stdout)")
    ] = None,
) -> None:
    """Export a scenario to Twine: Twee 3, or an archive HTML for Library > Import."""
    from kaleidoscope.learn.source import (
        MAX_FILE_BYTES,
        SourceError,
        limit_text,
        read_text,
        size_text,
    )
    from kaleidoscope.learn.twine.exporter import export_text, scenario_to_story
    from kaleidoscope.learn.twine.html import write_html
    from kaleidoscope.learn.twine.twee import write_twee
    from kaleidoscope.learn.validate import read_shared_cast

    if fmt in ("scorm12", "cmi5"):
        from kaleidoscope.learn.packages.cli import export_package

        export_package(sources, fmt, output)
        return
    if len(sources) != 1:
        raise _fail("Twine export takes one scenario; several go in a scorm12 or cmi5 package")
    source = sources[0]
    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        fmt = "twine-html" if suffix in (".html", ".htm") else "twee"
    if fmt not in FORMATS:
        raise _fail(f"unknown --format '{fmt}' (use twee, twine-html, scorm12 or cmi5)")
    path = Path(source)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        try:
            text = read_text(path, source)
        except SourceError as exc:
            _show([exc.diagnostic])
            raise _fail(f"cannot export {source}") from None
        members = read_shared_cast(path.parent)[0]
        result = export_text(text, source, members, frozenset(m.id for m in members))
        _show(result.diagnostics)
        if result.story is None:
            raise _fail(f"{source} has errors; fix them, then export")
        story, title = result.story, result.title
        if result.draft:
            err.print(
                f"{source} is a draft: it goes back to Twine exactly as it came in",
                soft_wrap=True,
            )
    else:
        from kaleidoscope.learn.library import LibraryError, bundled_library

        try:
            library = bundled_library()
        except LibraryError as exc:
            _show(exc.diagnostics)
            raise _fail("the scenario library has errors", 1) from None
        scenario = library.get(source)
        if scenario is None:
            raise _fail(
                f"no scenario '{source}' in the library, and no such file "
                "('kaleidoscope scenarios list' shows the ids)"
            )
        story = scenario_to_story(scenario, None, list(library.cast(scenario).values()))
        title = scenario.title
    written = write_twee(story) if fmt == "twee" else write_html([story])
    size = len(written.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        err.print(
            f"warning: the {fmt} file is {size_text(size)}, over the limit of {limit_text()} "
            "that import applies to every story file; Kaleidoscope will not import it again",
            soft_wrap=True,
        )
    if output is None:
        sys.stdout.write(written)
        return
    try:
        output.write_text(written, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror}") from None
    err.print(f"'{title}' -> {output} ({fmt})", soft_wrap=True)


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    """Add ``scenarios import`` and ``scenarios export`` to the command line."""
    del app
    scenarios_app.command("import")(scenarios_import)
    scenarios_app.command("export")(scenarios_export)
