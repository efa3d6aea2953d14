"""Read the package's YAML files into typed models; errors name the file, line and field."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel, ValidationError

from kaleidoscope.learn.source import SourceError, load_yaml, parse_yaml

M = TypeVar("M", bound=BaseModel)


class ConnectDataError(ValueError):
    """A malformed Connect data file; the message is ``file:line:column: problem``."""


def bundled(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath(name)))


def load_model(model: type[M], path: Path, display: str | None = None) -> M:
    """``path`` parsed and validated as ``model``; ConnectDataError on any problem."""
    shown = display or f"connect/{path.name}"
    try:
        doc = load_yaml(path, shown)
    except SourceError as exc:
        raise ConnectDataError(str(exc.diagnostic)) from None
    return _validate(model, doc.data, doc.positions, shown)


def parse_model(model: type[M], text: str, display: str) -> M:
    try:
        doc = parse_yaml(text, display)
    except SourceError as exc:
        raise ConnectDataError(str(exc.diagnostic)) from None
    return _validate(model, doc.data, doc.positions, display)


def _validate(model: type[M], data: Any, positions: Any, shown: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line, column = positions.locate(loc, key=error["type"] == "extra_forbidden")
            where = ".".join(str(part) for part in loc) or "(top)"
            lines.append(f"{shown}:{line}:{column}: {where}: {error['msg']}")
        raise ConnectDataError("\n".join(lines)) from None


@cache
def texts() -> dict[str, str]:
    """Every message of the Connect rules, by key (``text.yaml``)."""
    model = load_model(_Texts, bundled("text.yaml"))
    return model.root


def text(key: str, **values: object) -> str:
    try:
        template = texts()[key]
    except KeyError:
        raise ConnectDataError(f"connect/text.yaml: no text '{key}'") from None
    try:
        return " ".join(template.format_map(values).split())
    except (KeyError, IndexError, ValueError) as exc:
        raise ConnectDataError(f"connect/text.yaml: '{key}' needs a value: {exc}") from None


class _Texts(RootModel[dict[str, str]]):
    pass
