"""The scenario format: typed models that are also the published JSON Schema.

A scenario is a small directed graph of nodes. Passages tell, decisions ask, endings
close with a debrief. Everything a learner sees is data in a YAML file; this module only
says what shape that data must have. Cross-references (targets, speakers, guidance keys,
reachability) are checked by :mod:`kaleidoscope.learn.validate`.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Lower-case letters of any script, digits, '_' and '-' ("übung", "学习"): ids made from
# Twine passage names keep their letters (docs/twine.md).
Identifier = Annotated[
    str, StringConstraints(pattern=r"^[^\W_A-Z](?:[^\WA-Z]|-)*$", min_length=1, max_length=80)
]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
# A one-line label (a cast member's name or role): surrounding white space means nothing.
Label = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Dimension(StrEnum):
    """The ethical dimensions a choice moves (after Reamer's kaleidoscope)."""

    PRIVACY = "privacy"
    CONFIDENTIALITY = "confidentiality"
    INFORMED_CONSENT = "informed_consent"
    BOUNDARIES = "boundaries"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    SELF_DETERMINATION = "self_determination"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.PRIVACY: "Privacy",
    Dimension.CONFIDENTIALITY: "Confidentiality",
    Dimension.INFORMED_CONSENT: "Informed consent",
    Dimension.BOUNDARIES: "Professional boundaries",
    Dimension.CONFLICT_OF_INTEREST: "Conflict of interest",
    Dimension.SELF_DETERMINATION: "Self-determination vs paternalism",
}

EFFECT_MIN = -2
EFFECT_MAX = 2
Effect = Annotated[int, Field(ge=EFFECT_MIN, le=EFFECT_MAX)]


class Audience(StrEnum):
    STUDENTS = "students"
    PRACTITIONERS = "practitioners"
    MANAGERS = "managers"


class EndingKind(StrEnum):
    SUCCESSFUL = "successful"
    MIXED = "mixed"
    UNSUCCESSFUL = "unsuccessful"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class CastMember(_Strict):
    id: Identifier
    name: Label
    role: Label


class Choice(_Strict):
    id: Identifier = Field(description="Stable within its decision; used for statistics.")
    text: NonEmpty = Field(description="What the learner picks (safe Markdown).")
    target: Identifier = Field(description="The node this choice leads to.")
    consequence: NonEmpty = Field(description="What happens because of it (safe Markdown).")
    effects: dict[Dimension, Effect] = Field(
        default_factory=dict, description="Movement on each ethical dimension, -2..+2."
    )
    guidance: list[str] = Field(default_factory=list, description="Guidance registry keys.")
    discussion: str | None = Field(default=None, description="A prompt for group discussion.")


class Passage(_Strict):
    type: Literal["passage"]
    speaker: Identifier | None = None
    text: NonEmpty
    next: Identifier


class Decision(_Strict):
    type: Literal["decision"]
    speaker: Identifier | None = None
    text: NonEmpty = Field(description="The question put to the learner.")
    choices: list[Choice] = Field(min_length=2, max_length=5)
    discussion: str | None = None


class Ending(_Strict):
    type: Literal["ending"]
    kind: EndingKind
    title: NonEmpty
    text: str | None = None
    debrief: str | None = Field(default=None, description="Required: what to take away.")


Node = Annotated[Passage | Decision | Ending, Field(discriminator="type")]


class Scenario(_Strict):
    id: Identifier
    title: NonEmpty
    summary: NonEmpty
    themes: list[NonEmpty] = Field(min_length=1)
    minutes: int = Field(ge=1, le=240, description="Estimated minutes to play.")
    audience: list[Audience] = Field(min_length=1)
    cast: list[CastMember] = Field(default_factory=list)
    start: Identifier
    nodes: dict[Identifier, Node] = Field(min_length=1)

    def node(self, node_id: str) -> Passage | Decision | Ending:
        return self.nodes[node_id]

    def decision(self, node_id: str) -> Decision:
        node = self.nodes[node_id]
        if not isinstance(node, Decision):
            raise KeyError(node_id)
        return node

    def endings(self) -> dict[str, Ending]:
        return {k: n for k, n in self.nodes.items() if isinstance(n, Ending)}

    def decisions(self) -> dict[str, Decision]:
        return {k: n for k, n in self.nodes.items() if isinstance(n, Decision)}


class SharedCast(_Strict):
    """A library's continuing cast (``_cast.yaml``), usable by every scenario beside it."""

    cast: list[CastMember] = Field(min_length=1)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a scenario file."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://kaleidoscope.invalid/schema/scenario.json"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False)
