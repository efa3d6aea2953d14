"""Archive scans check posts in several processes (issue 13): the summary is the same as
when one process checks every post, safer versions are written only when read, and a
stopped scan leaves no process behind."""

from __future__ import annotations

import gc
import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check import scan as scan_module
from kaleidoscope.check.archives import ArchiveError
from kaleidoscope.check.checker import check_text
from kaleidoscope.check.model import MODEL_ENV, ModelError, reset_model
from kaleidoscope.check.scan import ScanProgress, default_workers, scan_archive, summary_json

POSTS = 3000  # over PARALLEL_FROM: the pool starts


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "twitter.zip"
    return af.write_big_x_archive(path, POSTS)


def as_json(path: Path, workers: int) -> dict[str, object]:
    data = summary_json(scan_archive(path, workers=workers))
    data.pop("seconds")
    return data


def test_two_processes_give_the_summary_one_gives(
    big_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    start = scan_module._start_pool

    def counted(workers: int) -> ProcessPoolExecutor:
        pools.append(workers)
        return start(workers)

    monkeypatch.setattr(scan_module, "_start_pool", counted)
    one = as_json(big_archive, 1)
    assert pools == []
    two = as_json(big_archive, 2)
    assert pools == [2]
    assert one["flagged_posts"] and one["checked"] == two["checked"]
    # every field of every flagged post, safer versions included, in the same order
    assert json.dumps(two) == json.dumps(one)


def test_a_pickled_finding_writes_its_safer_version_when_read() -> None:
    result = check_text(
        "Court today for little Kacey, 4, and her baby brother. Judge agreed the care plan."
    )
    finding = result.findings[0]
    assert getattr(finding, "_make", None) is not None  # not written yet
    copy = pickle.loads(pickle.dumps(result))
    assert getattr(copy.findings[0], "_make", None) is not None  # still not written
    assert copy.findings[0].rewrite == finding.rewrite and copy == result
    again = pickle.loads(pickle.dumps(result))  # written now: the text goes along
    assert getattr(again.findings[0], "_make", None) is None
    assert again.findings[0].rewrite == finding.rewrite


class Stop(Exception):
    pass


def test_a_scan_stopped_part_way_leaves_no_worker(big_archive: Path) -> None:
    def stop(p: ScanProgress) -> None:
        if p.posts >= 2500:
            raise Stop()

    with pytest.raises(Stop):
        scan_archive(big_archive, workers=2, progress=stop)
    assert multiprocessing.active_children() == []


def test_a_missing_model_stops_a_parallel_scan_as_it_stops_one(
    big_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MODEL_ENV, str(tmp_path / "missing.json"))
    reset_model()
    try:
        for workers in (1, 2):
            with pytest.raises(ModelError):
                scan_archive(big_archive, workers=workers)
    finally:
        monkeypatch.delenv(MODEL_ENV)
        reset_model()
    assert multiprocessing.active_children() == []


def test_workers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scan_module.WORKERS_ENV, "3")
    assert default_workers() == 3
    for unusable in ("0", "-2", "many", ""):
        monkeypatch.setenv(scan_module.WORKERS_ENV, unusable)
        assert default_workers() >= 1


def test_a_scan_collects_less_often_and_puts_the_collector_back(big_archive: Path) -> None:
    before = gc.get_threshold(), gc.get_freeze_count()
    during: list[tuple[int, int, int]] = []

    def seen(_: ScanProgress) -> None:
        during.append(gc.get_threshold())

    scan_archive(big_archive, workers=1, progress=seen)
    assert during and set(during) == {scan_module._SCAN_GC}
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    # a scan that fails puts it back too
    with pytest.raises(ArchiveError):
        scan_archive(big_archive.with_name("missing.zip"), workers=1)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
