"""A server scans an archive in a process of its own, at a lower priority (issue 14: the
pages a server process serves must not wait for a scan holding its interpreter lock)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import ArchiveError
from kaleidoscope.check.scan import (
    SCAN_NICENESS,
    ScanProgress,
    scan_archive,
    scan_in_child,
    summary_json,
)

POSTS = 3000


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return af.write_big_x_archive(tmp_path_factory.mktemp("child") / "twitter.zip", POSTS)


def as_json(summary: object) -> dict[str, object]:
    data = summary_json(summary)  # type: ignore[arg-type]
    data.pop("seconds")
    return data


def test_the_child_gives_the_summary_the_scan_gives_here(archive: Path) -> None:
    seen: list[tuple[int, int]] = []

    def progress(p: ScanProgress) -> None:
        children = multiprocessing.active_children()
        assert len(children) == 1
        seen.append((p.posts, os.getpriority(os.PRIO_PROCESS, children[0].pid or 0)))

    there = scan_in_child(archive, progress=progress)
    assert as_json(there) == as_json(scan_archive(archive))
    assert there.flagged  # safer versions too: they are written when read, here
    assert [posts for posts, _ in seen][-1] == POSTS
    assert {nice for _, nice in seen} == {os.getpriority(os.PRIO_PROCESS, 0) + SCAN_NICENESS}
    assert multiprocessing.active_children() == []


def test_bad_input_is_the_same_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.zip"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(ArchiveError) as here:
        scan_archive(bad)
    with pytest.raises(ArchiveError) as there:
        scan_in_child(bad)
    assert type(there.value) is type(here.value)
    assert str(there.value) == str(here.value)


class Stop(Exception):
    pass


def test_a_progress_that_raises_stops_the_child(archive: Path) -> None:
    def stop(_: ScanProgress) -> None:
        raise Stop()

    with pytest.raises(Stop):
        scan_in_child(archive, progress=stop)
    assert multiprocessing.active_children() == []


PARENT = """
import sys
from pathlib import Path
from kaleidoscope.check.scan import scan_in_child
import multiprocessing

def progress(p):
    print(multiprocessing.active_children()[0].pid, flush=True)
    import time
    time.sleep(60)

if __name__ == "__main__":
    scan_in_child(Path(sys.argv[1]), progress=progress)
"""


def test_the_child_ends_when_its_server_is_killed(archive: Path, tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script), str(archive)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail("the scan's process outlived the server")
