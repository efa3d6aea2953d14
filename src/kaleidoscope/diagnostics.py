"""Problems found in a user's file, reported as ``path:line:column: CODE message``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem, located by 1-based line and column (0 where unknown)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def count_errors(diagnostics: list[Diagnostic], *, strict: bool = False) -> int:
    """Errors, plus warnings when ``strict``."""
    return sum(1 for d in diagnostics if strict or d.is_error)
