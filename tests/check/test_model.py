"""The learned layer (src/kaleidoscope/check/model.py, tools/train_checker.py).

Posts here are written for these tests (none is copied from the corpus or shared data).
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kaleidoscope.check import model as model_module
from kaleidoscope.check.checker import MAX_CHARS, check_text, post_features
from kaleidoscope.check.model import MODEL_ENV, ModelError, features, load_model, reset_model
from kaleidoscope.check.records import Post

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "src" / "kaleidoscope" / "check" / "checker_model.json"


def trainer() -> object:
    path = ROOT / "tools" / "train_checker.py"
    spec = importlib.util.spec_from_file_location("train_checker", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_retraining_reproduces_the_shipped_weights_byte_for_byte() -> None:
    built = trainer().build()  # type: ignore[attr-defined]
    assert built == SHIPPED.read_bytes(), "run `make model` and commit the weights"


def test_the_weights_are_small_and_complete() -> None:
    # "a few MB at most" (issue 13): 3.27 MB with 32 writers (14,458 posts)
    assert SHIPPED.stat().st_size < 4_000_000
    data = json.loads(SHIPPED.read_text("utf-8"))
    assert data["categories"] == [
        "confidentiality", "boundaries", "self_disclosure", "employer_criticism",
        "derogatory", "consent_privacy",
    ]
    assert all(0 < t < 1 for t in data["thresholds"] + data["rule_floors"])


@pytest.fixture
def other_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the checker at another weights file; the shipped one comes back after."""
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"model-{os.getpid()}.json"
    monkeypatch.setenv(MODEL_ENV, str(path))
    reset_model()
    yield path
    monkeypatch.delenv(MODEL_ENV)
    reset_model()
    path.unlink(missing_ok=True)


def good() -> dict[str, object]:
    return {
        "format": model_module.FORMAT,
        "categories": ["confidentiality"],
        "thresholds": [0.5],
        "rule_floors": [0.5],
        "weights": {"bias": [0.0]},
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the model file"),
        ('{"format": "kaleidoscope-checker-model/1", "categ', "not a valid model file"),
        (b"\xff\xfe\x00", "not a valid model file"),
        (json.dumps({**good(), "format": "something-else"}), "not a checker model"),
        (json.dumps({**good(), "thresholds": []}), "incomplete or damaged"),
        (json.dumps({**good(), "weights": {"w:x": [1.0]}}), "incomplete or damaged"),
        (json.dumps({**good(), "weights": {"bias": [0.0], "w:x": [1.0, 2.0]}}), "damaged"),
        ('{"format": "kaleidoscope-checker-model/1", "categories": ["confidentiality"], '
         '"thresholds": [0.5], "rule_floors": [0.5], "weights": {"bias": [NaN]}}', "damaged"),
    ],
)
def test_a_missing_or_corrupt_model_is_a_clear_error(
    other_model: Path, content: str | bytes | None, message: str
) -> None:
    if isinstance(content, str):
        other_model.write_text(content, encoding="utf-8")
    elif isinstance(content, bytes):
        other_model.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        check_text("Home visit to the 15yo at St Anne's again")
    with pytest.raises(ModelError):
        load_model()


def test_the_cli_refuses_to_run_without_the_model(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "kaleidoscope-checker-model/1"', encoding="utf-8")
    for path in (tmp_path / "missing.json", broken):
        done = subprocess.run(
            [sys.executable, "-m", "kaleidoscope.cli", "check", "Lovely walk by the canal"],
            capture_output=True, text=True, encoding="utf-8", timeout=120,
            env={**os.environ, MODEL_ENV: str(path)},
        )
        assert done.returncode == 2
        assert "model cannot be loaded" in done.stderr and str(path) in done.stderr
        assert "rules alone are not the full check" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert "No risks found" not in done.stdout  # never a rules-only "all clear"


def test_the_fast_scores_equal_the_scores_of_the_feature_names() -> None:
    model = load_model()
    texts = [
        "Home visit: 14yo at St Anne's Academy, mum at Costa till 2 every Tuesday 😂",
        "My manager is useless, supervision cancelled AGAIN #socialwork",
        "Lovely walk by the canal, 3 miles and a pint",
        "Jayden's mum added me on Facebook, @bob says accept it lol",
    ]
    for text in texts:
        from kaleidoscope.check.checker import _Ctx, _rule_findings
        from kaleidoscope.check.rules import load_rules

        post = Post(id="1", text=text)
        ctx = _Ctx(load_rules(), text)
        fired = [f.category.value for f in _rule_findings(ctx, post)]
        names = features(ctx.text, ctx.lower, ctx.hits, fired)
        assert names == post_features(post)
        slow = model.scores(names)
        fast = model.post_scores(ctx.text, ctx.lower, ctx.hits, fired)
        assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(slow, fast, strict=True))


# Written for this test: plain risky posts and innocent ones with the same trigger words.
RISKY = [
    ("Strategy meeting for the wee lad from Possil, 12, and his gran's not coping",
     "confidentiality"),
    ("Court today for Kacey, 4, and her baby brother, judge agreed the care plan",
     "confidentiality"),
    ("Had a nosey at the dad's Facebook after the visit, he's posting about the kids again",
     "consent_privacy"),
    ("Our manager is useless, third supervision cancelled this month and nobody cares",
     "employer_criticism"),
    ("Accepted a friend request from one of my young people, she's been messaging me all night",
     "boundaries"),
    ("Absolutely hanging after last night, 9am home visit, pray for me 🍷🍷🍷", "self_disclosure"),
    ("These scroungers on my caseload always have the latest iPhone 🙄", "derogatory"),
    ("Photo of the bedroom from today's visit, the state of it 📸 [photo]", "consent_privacy"),
]
SAFE = [
    "Cracking open a cold coke after the gym",
    "Watching The Hangover again with the lads",
    "My dad's in hospital again, visiting him tonight, fingers crossed",
    "Removal van booked for Saturday, new house here we come",
    "Ordered new contact lenses today, no more glasses",
    "Proud to speak at the BASW conference in Leeds today on relationship-based practice",
    "Lovely walk by the canal this evening, recharged for the week",
    "Detention for my son again, that boy 🙈",
]


def test_the_full_check_on_plain_posts() -> None:
    caught = [category in check_text(text).labels for text, category in RISKY]
    quiet = [not check_text(text).findings for text in SAFE]
    assert sum(caught) >= len(RISKY) - 2, list(zip(RISKY, caught, strict=True))
    assert sum(quiet) >= len(SAFE) - 1, list(zip(SAFE, quiet, strict=True))


def test_every_finding_names_its_spans_and_why() -> None:
    for text, _ in RISKY:
        for finding in check_text(text).findings:
            assert finding.spans and finding.why and finding.guidance
            for span in finding.spans:
                assert text[span.start : span.end] == span.quote


def test_a_one_megabyte_post_is_checked_within_its_limit() -> None:
    text = ("Lovely walk by the canal this evening. " * 27_000)[:1_000_000]
    text += " Home visit to the 15yo at St Anne's again"
    started = time.perf_counter()
    result = check_text(text)
    assert time.perf_counter() - started < 60
    for finding in result.findings:
        assert all(span.end <= MAX_CHARS for span in finding.spans)


def test_whom_a_reply_is_to_is_not_whom_it_is_about() -> None:
    # Without a rule, the model alone flags confidentiality only about someone recognisable
    # who uses services. The handles a reply opens with are the people it answers (a
    # boundaries matter), so they do not make a post in scope; a handle inside the post does.
    from kaleidoscope.check.checker import _Ctx, _in_scope
    from kaleidoscope.check.rules import load_rules

    def scoped(text: str) -> bool:
        return _in_scope(_Ctx(load_rules(), text), "confidentiality")

    assert not scoped("@kayla_b07 in that case see you at the review")
    assert not scoped("@kayla_b07 @dan.h: in that case see you at the review")
    assert scoped("in that case I saw @kayla_b07 at the review")


def test_boundaries_need_someone_to_have_a_boundary_with() -> None:
    # A care setting alone ("#adultsocialcare") does not put a post in the scope of
    # boundaries: without a rule, the model alone must also see a person.
    from kaleidoscope.check.checker import _Ctx, _in_scope
    from kaleidoscope.check.rules import load_rules

    def scoped(text: str) -> bool:
        return _in_scope(_Ctx(load_rules(), text), "boundaries")

    assert not scoped("Bought myself flowers for passing my BIA course 💐 #adultsocialcare")
    assert scoped("one of my lads wants me on snap")
    assert not check_text("Long week. Proud of the work we do though. Weekend, here I come 🙌 "
                          "#socialwork").findings
