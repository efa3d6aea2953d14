"""Wording as data: the sentences the exposure tools print live in YAML beside this module.

A text is looked up by a dotted key (``reasons.in_audience``) and filled with named
values (``{platform}``). A missing key or value is a packaging bug and raises
ExposureDataError naming the file and key, never a bare KeyError.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from typing import Any

from kaleidoscope.see.rules import ExposureDataError, bundled_text, read_yaml


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return {"low": 0, "medium": 1, "high": 2}[self.value]


class Texts:
    def __init__(self, data: Mapping[str, Any], display: str) -> None:
        self._data = data
        self._display = display

    def raw(self, key: str) -> Any:
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise ExposureDataError(f"{self._display}: no text at '{key}'")
            node = node[part]
        return node

    def get(self, key: str, **values: object) -> str:
        template = self.raw(key)
        if not isinstance(template, str):
            raise ExposureDataError(f"{self._display}: '{key}' is not a single text")
        try:
            return " ".join(template.format_map(values).split())
        except (KeyError, IndexError, ValueError) as exc:
            raise ExposureDataError(
                f"{self._display}: text '{key}' needs a value the code did not give: {exc}"
            ) from None

    def mapping(self, key: str) -> dict[str, str]:
        node = self.raw(key)
        if not isinstance(node, Mapping) or not all(isinstance(v, str) for v in node.values()):
            raise ExposureDataError(f"{self._display}: '{key}' is not a mapping of texts")
        return {str(k): " ".join(str(v).split()) for k, v in node.items()}

    def items(self, key: str) -> list[str]:
        node = self.raw(key)
        if not isinstance(node, list) or not all(isinstance(v, str) for v in node):
            raise ExposureDataError(f"{self._display}: '{key}' is not a list of texts")
        return [" ".join(v.split()) for v in node]


@cache
def bundled_texts(name: str) -> Texts:
    display = f"exposure/{name}"
    data = read_yaml(bundled_text(name), display)
    if not isinstance(data, Mapping):
        raise ExposureDataError(f"{display}: expected a mapping of texts")
    return Texts(data, display)


def join_names(names: list[str], conjunction: str = "and") -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {conjunction} " + names[-1]
