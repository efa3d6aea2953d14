"""The learned layer of the checker: a linear model that decides each category.

The rules (``checker.py``) find the spans and say why; this model, trained on the
labelled corpus in ``data/posts/`` by ``tools/train_checker.py``, decides whether each
category applies. Its inputs are the post's words and word pairs (with emoji), the same
words again when the post has a care context, the lexicon concepts the rules found and
the categories the rules fired. One logistic regression per category; the weights are
``checker_model.json`` beside this module (written by ``make model``; nothing is
downloaded at run time).

A missing or corrupt weights file raises :class:`ModelError` with a plain message; the
checker never falls back to the rules alone while calling itself the full check.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kaleidoscope.check.entities import PERSON_KINDS, find_entities_about
from kaleidoscope.check.tokens import word_spans as _word_spans
from kaleidoscope.check.tokens import words as _words

__all__ = [
    "FORMAT",
    "MODEL_ENV",
    "Model",
    "ModelError",
    "features",
    "load_model",
    "model_path",
    "reset_model",
    "token_spans",
]

FORMAT = "kaleidoscope-checker-model/1"
MODEL_FILE = "checker_model.json"
MODEL_ENV = "KALEIDOSCOPE_CHECK_MODEL"  # another weights file (tests, experiments)

# Tokens (tokens.py): words of ASCII letters and digits, and single characters outside
# ASCII (emoji, symbols); every digit reads as "0" ("14" and "15" are both "00").
# Concepts that mean the post is set in practice: its words are also read "in care".
CARE_CONCEPTS = frozenset({"care", "su_ref", "care_weak"})


# Lexicon concepts that make identifiers worth looking for (people, practice, places,
# numbers); without any, the entity scan is skipped (most ordinary posts, and speed).
ENTITY_CUES = frozenset({
    "care", "su_ref", "care_weak", "su_group", "person", "kin", "kin_possessive",
    "kin_structure", "kin_count", "young_cue", "age_word", "age_words", "t_digit", "t_school",
    "t_street", "t_estate", "t_setting", "t_su_name", "given_name", "t_title", "t_family",
    "event", "condition", "media", "live_location", "home_address", "unique", "time_word",
    "emp_ref", "colleague_ref", "boundary",
})

NO_ENTITY_CUES = "e:none"  # the feature standing for a post whose entities were not scanned

# Entity kinds that are not details about a person (the jigsaw counts the others).
_NOT_DETAILS = frozenset({"media", "weekday"})


class ModelError(RuntimeError):
    """The model file is missing or unreadable: the full check cannot run."""


def tokens(lower: str) -> list[str]:
    """The post's tokens, lowercased, every digit read as "0" ("14" -> "00")."""
    return _words(lower)


def entity_features(text: str, lower: str, words: list[str], care: bool) -> list[str]:
    """Features from the identifiers and whom they belong to (see ``entities.py``)."""
    found, whom = find_entities_about(text, lower, care, words)  # as find_entities, about
    kinds = {e.kind for e in found}
    out = ["e:" + k for k in kinds]
    out += [f"e:{e.kind}:{e.role}" for e in found if e.kind in PERSON_KINDS]
    details = len(kinds - PERSON_KINDS - _NOT_DETAILS)
    out.append(f"e:details{min(details, 3)}")
    out.append("about:" + whom)
    if care:
        out += ["ce:" + k for k in kinds]
        out.append(f"ce:details{min(details, 3)}")
    return out


# Before a capital, these (with spaces and quotes) mean it starts a sentence, not a name.
_SENTENCE_ENDS = frozenset(".!?:;\n\u2026")
_OPENING = frozenset(" \t\"'\u201c\u2018(*-")
# A word that starts with a capital and goes on in lower case or digits ("Oisin", "Zac").
_CAPITALISED = re.compile(r"(?<![A-Za-z0-9])[A-Z][a-z0-9][A-Za-z0-9]*")


def name_features(text: str, lower: str) -> list[str]:
    """The words around each capitalised word inside a sentence, with that word as "_"
    ("n:met _", "n:_ s" for "met Oisin's..."): a name the lexicon does not know still
    reads as a name. Sentence starts, acronyms ("NHS"), single letters, hashtags and
    handles are skipped; a character outside ASCII before a capital (an emoji) counts as
    a sentence end."""
    starts = []
    for match in _CAPITALISED.finditer(text):
        j = match.start() - 1
        while j >= 0 and text[j] in _OPENING:
            j -= 1
        if j < 0 or text[j] in _SENTENCE_ENDS or text[j] in "#@" or not text[j].isascii():
            continue
        starts.append(match.start())
    if not starts:
        return []
    spans = _word_spans(lower)
    index = {s: i for i, (_, s, _) in enumerate(spans)}
    marked = [index[s] for s in starts if s in index]
    shape = [t for t, _, _ in spans]
    for i in marked:
        shape[i] = "_"
    last = len(shape) - 1
    out = ["n:name"] if marked else []
    for i in marked:
        out.append(f"n:{shape[i - 1] if i else '^'} _")
        out.append(f"n:_ {shape[i + 1] if i < last else '$'}")
    return out


def features(
    text: str, lower: str, concepts: Iterable[str], rule_labels: Iterable[str]
) -> list[str]:
    """The model's inputs for one post (a list of feature names, repeats allowed).

    ``lower`` is the lowercased post, ``concepts`` the lexicon concepts the rules found,
    ``rule_labels`` the categories the rules fired.
    """
    words = tokens(lower)
    out = ["w:" + t for t in words]
    out += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    out += name_features(text, lower)
    found = list(concepts)
    out += ["c:" + c for c in found]
    care = not CARE_CONCEPTS.isdisjoint(found)
    if care:
        out += ["s:" + t for t in words]
        out.append("care")
    out += ["r:" + label for label in rule_labels]
    if not ENTITY_CUES.isdisjoint(found):
        out += entity_features(text, lower, words, care)
    else:
        out.append(NO_ENTITY_CUES)
    out.append("bias")
    return out


def token_spans(lower: str) -> list[tuple[str, int, int]]:
    """Each token with its offsets, to point at the words that weighed most."""
    return _word_spans(lower)


@dataclass(frozen=True, slots=True)
class Model:
    """Per-category weights: ``table[feature]`` is one weight per category."""

    categories: tuple[str, ...]
    thresholds: tuple[float, ...]
    rule_floors: tuple[float, ...]  # where a rule fired, this probability is enough
    lowest: tuple[float, ...]  # scores under these find nothing (logit of the lower limit)
    table: dict[str, tuple[float, ...]]
    source: str
    # The same weights split by family, keyed without prefixes, for the fast path.
    words: dict[str, tuple[float, ...]]
    pairs: dict[tuple[str, str], tuple[float, ...]]
    in_care: dict[str, tuple[float, ...]]
    concepts: dict[str, tuple[float, ...]]  # lexicon concept name -> weights ("c:" dropped)
    others: dict[str, tuple[float, ...]]

    def scores(self, feats: list[str]) -> list[float]:
        """The raw score (log-odds) of each category, from feature names."""
        return self._sum(map(self.table.get, feats))

    def _sum(self, rows: Iterable[tuple[float, ...] | None]) -> list[float]:
        """Each category's sum over the rows (None for an unknown feature: skipped), in
        the rows' order."""
        sums: list[float] = list(map(sum, zip(*filter(None, rows), strict=True)))
        return sums or [0.0] * len(self.categories)

    def post_scores(
        self, text: str, lower: str, concepts: Iterable[str], rule_labels: Iterable[str]
    ) -> list[float]:
        """The same as ``scores(features(text, lower, concepts, rule_labels))``, faster:
        no names are built for the word features."""
        words = _words(lower)
        others = self.others
        found = list(concepts)
        rows = [
            *map(self.words.get, words),
            *map(self.pairs.get, itertools.pairwise(words)),
            *map(self.concepts.get, found),
            *map(others.get, ["r:" + label for label in rule_labels]),
            *map(others.get, name_features(text, lower)),
            others.get("bias"),
        ]
        care = not CARE_CONCEPTS.isdisjoint(found)
        if care:
            rows += map(self.in_care.get, words)
            rows.append(others.get("care"))
        if not ENTITY_CUES.isdisjoint(found):
            rows += map(others.get, entity_features(text, lower, words, care))
        else:
            rows.append(others.get(NO_ENTITY_CUES))
        return self._sum(rows)

    def decide(
        self, scores: list[float], ruled: Collection[str] = ()
    ) -> list[tuple[str, float]]:
        """The categories found, with their probability: those reaching their threshold,
        and those a rule fired for that reach the (lower) rule floor."""
        out = []
        lowest = self.lowest
        for i, score in enumerate(scores):
            if score < lowest[i]:
                continue  # below the floor: no need for the probability (most posts)
            category = self.categories[i]
            probability = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, score))))
            if probability >= self.thresholds[i] or (
                probability >= self.rule_floors[i] and category in ruled
            ):
                out.append((category, probability))
        return out

    def weight(self, feature: str, category: str) -> float:
        row = self.table.get(feature)
        return row[self.categories.index(category)] if row is not None else 0.0

    def word_weights(
        self, spans: list[tuple[str, int, int]], category: str, care: bool
    ) -> list[tuple[float, int, int]]:
        """Each word's (or word pair's, when it weighs more) weight for a category, with
        its offsets: what made the model decide."""
        c = self.categories.index(category)
        tokens = [t[0] for t in spans]
        weights = [r[c] if r is not None else 0.0 for r in map(self.words.get, tokens)]
        if care:
            weights = [
                w + (r[c] if r is not None else 0.0)
                for w, r in zip(weights, map(self.in_care.get, tokens), strict=True)
            ]
        out = [(w, s, e) for w, (_, s, e) in zip(weights, spans, strict=True)]
        for i, row in enumerate(map(self.pairs.get, itertools.pairwise(tokens))):
            if row is not None and row[c] > weights[i]:  # the pair weighs more
                out[i] = (row[c], spans[i][1], spans[i + 1][2])
        return out


_PACKAGED: list[str] = []


def model_path() -> str:
    """Where the weights are read from (the packaged file unless MODEL_ENV names one)."""
    override = os.environ.get(MODEL_ENV)
    if override:
        return override
    if not _PACKAGED:
        _PACKAGED.append(str(resources.files(__package__).joinpath(MODEL_FILE)))
    return _PACKAGED[0]


def parse_model(raw: bytes, source: str) -> Model:
    """Validate and load a weights file's bytes; ModelError names what is wrong."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{source}: not a valid model file ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(f"{source}: not a checker model (expected format {FORMAT!r})")
    categories = data.get("categories")
    thresholds = data.get("thresholds")
    floors = data.get("rule_floors")
    weights = data.get("weights")
    if (
        not isinstance(categories, list)
        or not categories
        or not all(isinstance(c, str) for c in categories)
        or not isinstance(thresholds, list)
        or len(thresholds) != len(categories)
        or not all(isinstance(t, int | float) and 0.0 < t < 1.0 for t in thresholds)
        or not isinstance(floors, list)
        or len(floors) != len(categories)
        or not all(isinstance(t, int | float) and 0.0 < t < 1.0 for t in floors)
        or not isinstance(weights, dict)
        or "bias" not in weights
    ):
        raise ModelError(f"{source}: the model file is incomplete or damaged")
    size = len(categories)
    table: dict[str, tuple[float, ...]] = {}
    for feature, row in weights.items():
        if (
            not isinstance(row, list)
            or len(row) != size
            or not all(isinstance(v, int | float) and math.isfinite(v) for v in row)
        ):
            raise ModelError(f"{source}: the weights of {feature[:40]!r} are damaged")
        table[feature] = tuple(float(v) for v in row)
    words: dict[str, tuple[float, ...]] = {}
    pairs: dict[tuple[str, str], tuple[float, ...]] = {}
    in_care: dict[str, tuple[float, ...]] = {}
    concepts: dict[str, tuple[float, ...]] = {}
    others: dict[str, tuple[float, ...]] = {}
    for feature, row in table.items():
        family, _, key = feature.partition(":")
        if family == "w":
            words[key] = row
        elif family == "s":
            in_care[key] = row
        elif family == "c":
            concepts[key] = row
        elif family == "b" and key.count(" ") == 1:
            first, second = key.split(" ")
            pairs[(first, second)] = row
        else:
            others[feature] = row
    return Model(
        categories=tuple(categories),
        thresholds=tuple(float(t) for t in thresholds),
        rule_floors=tuple(float(t) for t in floors),
        lowest=tuple(
            math.log(t / (1.0 - t)) - 1e-9 for t in map(min, thresholds, floors)
        ),
        table=table,
        source=source,
        words=words,
        pairs=pairs,
        in_care=in_care,
        concepts=concepts,
        others=others,
    )


_LOCK = threading.Lock()
_MODEL: list[Model] = []


def load_model() -> Model:
    """The model, read once per process; ModelError if it is missing or corrupt. (The
    weights file is found when first needed: `reset_model` makes the next call look
    again, e.g. after MODEL_ENV changed.)"""
    if _MODEL:
        return _MODEL[0]
    with _LOCK:
        if not _MODEL:
            source = model_path()
            try:
                raw = Path(source).read_bytes()
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                raise ModelError(f"{source}: cannot read the model file ({reason})") from None
            _MODEL.append(parse_model(raw, source))
        return _MODEL[0]


def reset_model() -> None:
    """Forget the loaded model (tests that point MODEL_ENV at another file)."""
    with _LOCK:
        _MODEL.clear()
