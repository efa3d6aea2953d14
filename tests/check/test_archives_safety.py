"""Bad and hostile input: clear errors or counted skips, never a crash or a full read."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import (
    ArchiveError,
    Limits,
    NotAnArchiveError,
    TruncatedArchiveError,
    UnknownPlatformError,
    UnsafeArchiveError,
    open_archive,
)
from kaleidoscope.check.archives.container import TarContainer
from kaleidoscope.check.records import Platform

T0 = datetime(2021, 3, 1, tzinfo=UTC)


def x_files() -> dict[str, bytes]:
    return af.x_files([af.Tweet("1", "hello", T0), af.Tweet("2", "again", T0)])


def test_not_an_archive(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\n")
    with pytest.raises(NotAnArchiveError, match="not an archive"):
        open_archive(text)
    empty = tmp_path / "empty.zip.part"
    empty.write_bytes(b"")
    with pytest.raises(NotAnArchiveError, match="empty"):
        open_archive(empty)
    gz = tmp_path / "data.gz"
    gz.write_bytes(gzip.compress(b"not a tar at all " * 100))
    with pytest.raises(NotAnArchiveError, match="not a tar"):
        open_archive(gz)
    with pytest.raises(ArchiveError, match="no such file"):
        open_archive(tmp_path / "missing.zip")


def test_unknown_platform_lists_what_was_looked_for(tmp_path: Path) -> None:
    path = af.write_zip(tmp_path / "photos.zip", {"holiday/1.jpg": b"\xff\xd8", "a.json": b"{}"})
    with pytest.raises(UnknownPlatformError) as info:
        open_archive(path)
    message = str(info.value)
    for expected in ("tweets.js", "your_posts", "posts_N.json", "Shares.csv", "outbox.json",
                     "repo.car", "2 files"):
        assert expected in message


def test_detection_matches_the_end_of_paths(tmp_path: Path) -> None:
    wrapped = {f"twitter-2023-01-01-abcdef/{k}": v for k, v in x_files().items()}
    with open_archive(af.write_zip(tmp_path / "x.zip", wrapped)) as archive:
        assert archive.platform is Platform.X
        assert len(list(archive.posts())) == 2
    single = af.write_folder(tmp_path / "f", x_files()) / "data" / "tweets.js"
    with open_archive(single) as archive:  # one export file on its own
        assert archive.platform is Platform.X
        assert len(list(archive.posts())) == 2


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    files = x_files()
    files["data/tweets-part1.js"] = b"window.YTD.tweets.part1 = [" + b" " * (8 << 20) + b"]"
    path = af.write_zip(tmp_path / "bomb.zip", files)
    assert path.stat().st_size < 200_000
    with pytest.raises(UnsafeArchiveError, match="zip bomb"):
        open_archive(path)


def test_declared_total_and_read_total_limits(tmp_path: Path) -> None:
    path = af.write_zip(tmp_path / "x.zip", x_files())
    with pytest.raises(UnsafeArchiveError, match="declares more than"):
        open_archive(path, limits=Limits(max_declared_bytes=100))
    with (
        pytest.raises(UnsafeArchiveError, match="max_total_bytes"),
        open_archive(path, limits=Limits(max_total_bytes=500)) as archive,
    ):
        list(archive.posts())


def test_entry_over_the_limit_is_skipped_with_a_reason(tmp_path: Path) -> None:
    files = x_files()
    big = [af.tweet_record(af.Tweet(str(10 + i), "x" * 200, T0)) for i in range(40)]
    files["data/tweets-part1.js"] = af.x_js("tweets", big, 1)
    path = af.write_zip(tmp_path / "x.zip", files)
    limits = Limits(max_entry_bytes=len(files["data/tweets-part1.js"]) - 1)
    with open_archive(path, limits=limits) as archive:
        posts = list(archive.posts())
        reasons = archive.skips.reasons
    assert {p.id for p in posts} == {"1", "2"}
    assert "over the 0 MiB limit" in reasons[0].reason or "limit" in reasons[0].reason
    assert reasons[0].examples == ["data/tweets-part1.js"]


@pytest.mark.parametrize("name", ["../evil/tweets.js", "/etc/tweets.js", "C:/x/tweets.js",
                                  "data/../../tweets.js"])
def test_traversal_and_absolute_names_are_refused_in_zip(tmp_path: Path, name: str) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("data/tweets.js", x_files()["data/tweets.js"])
        zf.writestr(zipfile.ZipInfo(name), b"window.YTD.tweets.part0 = []")
    with pytest.raises(UnsafeArchiveError, match="refused"):
        open_archive(path)


def test_traversal_is_refused_in_tar(tmp_path: Path) -> None:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        data = af.mastodon_files([af.toot(1, "<p>hi</p>")])["outbox.json"]
        info = tarfile.TarInfo("../../outbox.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        open_archive(path)
    assert not (tmp_path.parent / "outbox.json").exists()


def test_truncated_zip_and_tar(tmp_path: Path) -> None:
    whole = af.write_zip(tmp_path / "x.zip", x_files()).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(TruncatedArchiveError, match="truncated"):
        open_archive(cut)
    items = [af.toot(i, "<p>" + os.urandom(300).hex() + "</p>") for i in range(50)]
    whole_tar = af.write_targz(tmp_path / "m.tar.gz", af.mastodon_files(items)).read_bytes()
    cut_tar = tmp_path / "cut.tar.gz"
    cut_tar.write_bytes(whole_tar[: len(whole_tar) // 2])
    with pytest.raises(TruncatedArchiveError, match="truncated"):
        open_archive(cut_tar)


def test_tar_extraction_dir_is_deleted_after_use(tmp_path: Path) -> None:
    path = af.write_targz(tmp_path / "m.tar.gz", af.mastodon_files([af.toot(1, "<p>hi</p>")]))
    archive = open_archive(path)
    assert isinstance(archive.container, TarContainer)
    root = archive.container._root
    assert root.exists() and any(root.iterdir())
    assert len(list(archive.posts())) == 1
    archive.close()
    assert not root.exists()


def test_folder_symlinks_are_not_followed(tmp_path: Path) -> None:
    outside = af.write_folder(tmp_path / "outside", x_files())
    folder = af.write_folder(tmp_path / "export", {"data/account.js": b""})
    (folder / "data" / "tweets.js").symlink_to(outside / "data" / "tweets.js")
    with pytest.raises(UnknownPlatformError):
        open_archive(folder)


def test_invalid_utf8_and_utf16_json(tmp_path: Path) -> None:
    files = x_files()
    files["data/tweets.js"] = files["data/tweets.js"].replace(b"hello", b"hel\xff\xfelo")
    files["data/tweets-part1.js"] = af.x_js(
        "tweets", [af.tweet_record(af.Tweet("3", "utf sixteen ✓", T0))], 1
    ).decode().encode("utf-16")
    with open_archive(af.write_zip(tmp_path / "x.zip", files)) as archive:
        posts = {p.id: p.text for p in archive.posts()}
        reasons = [r.reason for r in archive.skips.reasons]
    assert posts == {"1": "hel\ufffd\ufffdlo", "2": "again", "3": "utf sixteen ✓"}
    assert "file is not valid UTF-8: bad bytes replaced" in reasons


def test_large_entry_streams_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = af.write_big_x_archive(tmp_path / "big.zip", 20_000, parts=1)
    tracemalloc.start()
    with open_archive(path) as archive:
        count = sum(1 for _ in archive.posts())
        size = archive.bytes_total
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert size > 15 * 1024 * 1024  # one entry of 15+ MB ...
    assert peak < 8 * 1024 * 1024, peak  # ... never held whole


def test_a_2_gb_file_is_refused_or_skipped_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(2 * 1024**3)
    with pytest.raises(NotAnArchiveError):
        open_archive(huge)
    folder = af.write_folder(tmp_path / "export", x_files())
    with (folder / "data" / "tweets-part1.js").open("wb") as fh:
        fh.truncate(2 * 1024**3)
    with open_archive(folder) as archive:
        assert [p.id for p in archive.posts()] == ["1", "2"]
        reason = archive.skips.reasons[0]
        assert "max_entry_bytes" in reason.reason and reason.examples == ["data/tweets-part1.js"]
        assert archive.bytes_done < 1024**2


def test_a_damaged_entry_is_skipped_with_a_reason(tmp_path: Path) -> None:
    files = x_files()
    files["data/tweets-part1.js"] = af.x_js(
        "tweets", [af.tweet_record(af.Tweet(str(10 + i), f"tweet {i} " * 20, T0))
                   for i in range(200)], 1)
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    raw = bytearray(path.read_bytes())
    where = raw.index(b"tweet 150 ")
    raw[where:where + 5] = b"XXXXX"  # same length: the zip still opens, the CRC fails
    path.write_bytes(bytes(raw))
    with open_archive(path) as archive:
        ids = {p.id for p in archive.posts()}
        reasons = [r.reason for r in archive.skips.reasons]
    assert {"1", "2"} <= ids
    assert any("damaged entry" in r for r in reasons), reasons
