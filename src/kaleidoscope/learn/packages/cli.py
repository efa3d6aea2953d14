"""``kaleidoscope scenarios export ID... --format scorm12|cmi5 -o package.zip``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from kaleidoscope.learn.packages.build import (
    DEFAULT_ACTIVITY_BASE,
    FORMATS,
    PackageError,
    build_package,
    load_scenarios,
)

err = Console(stderr=True, highlight=False)


def export_package(
    sources: list[str],
    fmt: str,
    output: Path | None,
    activity_base: str = DEFAULT_ACTIVITY_BASE,
) -> None:
    """Write a SCORM 1.2 or cmi5 zip; exit 1 if a scenario does not validate, 2 on misuse."""
    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] unknown package format '{fmt}'", soft_wrap=True)
        raise typer.Exit(2)
    if output is None:
        err.print(
            "[red]error:[/red] a package is a zip file: give it a name with -o PACKAGE.zip",
            soft_wrap=True,
        )
        raise typer.Exit(2)
    try:
        items = load_scenarios(sources)
        data = build_package(items, fmt, activity_base)
    except PackageError as exc:
        for diagnostic in exc.diagnostics:
            err.print(str(diagnostic), markup=False, soft_wrap=True)
        err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(1 if exc.diagnostics else 2) from None
    try:
        output.write_bytes(data)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot write {output}: {exc.strerror}", soft_wrap=True)
        raise typer.Exit(2) from None
    titles = ", ".join(f"'{i.scenario.title}'" for i in items)
    err.print(f"{titles} -> {output} ({fmt}, {len(items)} SCO(s))", markup=False, soft_wrap=True)
