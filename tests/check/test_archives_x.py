"""X / Twitter archives built in code: layouts, split parts, note tweets, Grailbird CSV."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import open_archive
from kaleidoscope.check.archives.x import parse_x_date
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

T0 = datetime(2020, 5, 14, 1, 38, 56, tzinfo=UTC)


def read(path: Path) -> tuple[list[Post], object]:
    with open_archive(path) as archive:
        assert archive.platform is Platform.X
        return list(archive.posts()), archive.skips


def tweets() -> list[af.Tweet]:
    return [
        af.Tweet("101", "Home visit & court <3 #socialwork", T0, hashtags=["socialwork"]),
        af.Tweet("102", "RT @colleague: great thread on kinship care", T0.replace(day=15)),
        af.Tweet("103", "@jo thanks, see https://t.co/abc", T0.replace(day=16), reply_to="jo",
                 mentions=["jo"], urls=[("https://t.co/abc", "https://example.org/guide")]),
        af.Tweet("104", "Photo from the conference", T0.replace(day=17), media=2),
    ]


@pytest.mark.parametrize("writer", [af.write_zip, af.write_targz, af.write_folder])
def test_2022_layout_in_every_container(tmp_path: Path, writer: object) -> None:
    files = af.x_files(tweets())
    target = tmp_path / "export" if writer is af.write_folder else tmp_path / "export.bin"
    path = writer(target, files)  # type: ignore[operator]
    posts, skips = read(path)
    by_id = {p.id: p for p in posts}
    assert set(by_id) == {"101", "102", "103", "104"}
    first = by_id["101"]
    assert first.text == "Home visit & court <3 #socialwork"  # HTML-unescaped
    assert first.created_at == T0
    assert first.kind is PostKind.POST
    assert first.audience is Audience.PUBLIC
    assert first.hashtags == ["socialwork"]
    assert first.url == "https://x.com/sw_practitioner/status/101"
    assert first.source == "data/tweets.js"
    assert by_id["102"].kind is PostKind.REPOST
    reply = by_id["103"]
    assert reply.kind is PostKind.REPLY
    assert reply.mentions == ["jo"]
    assert "https://example.org/guide" in reply.text and "t.co" not in reply.text
    assert by_id["104"].media_count == 2
    assert by_id["104"].text == "Photo from the conference"  # media t.co link removed
    assert skips.total == 0  # type: ignore[attr-defined]


def test_split_parts_listed_in_manifest_are_all_read(tmp_path: Path) -> None:
    many = [af.Tweet(str(500 + i), f"post number {i}", T0.replace(minute=i)) for i in range(30)]
    files = af.x_files(many, parts=3)
    assert {"data/tweets-part1.js", "data/tweets-part2.js"} <= set(files)
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    assert sorted(int(p.id) for p in posts) == list(range(500, 530))
    assert {p.source for p in posts} == {"data/tweets.js", "data/tweets-part1.js",
                                         "data/tweets-part2.js"}


def test_parts_found_without_manifest(tmp_path: Path) -> None:
    many = [af.Tweet(str(i), f"t{i}", T0) for i in range(1, 7)]
    files = af.x_files(many, parts=2, manifest=False)
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    assert len(posts) == 6


def test_2019_layout_without_data_prefix(tmp_path: Path) -> None:
    files = af.x_files(tweets(), layout="2019")
    assert "tweet.js" in files and not any(n.startswith("data/") for n in files)
    posts, _ = read(af.write_zip(tmp_path / "old.zip", files))
    assert len(posts) == 4


def test_old_records_without_the_tweet_wrapper(tmp_path: Path) -> None:
    records = [af.tweet_record(t, wrapper=False) for t in tweets()]
    files = {"tweet.js": af.x_js("tweet", records)}
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    assert {p.id for p in posts} == {"101", "102", "103", "104"}


def test_note_tweet_gives_the_full_text_matched_by_time(tmp_path: Path) -> None:
    full = "A long reflection on supervision. " * 12
    cut = full[:270] + "…"
    created = datetime(2023, 2, 1, 9, 30, tzinfo=UTC)
    files = af.x_files([af.Tweet("900", cut, created), af.Tweet("901", "short", T0)],
                       notes=[(created, full)])
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    by_id = {p.id: p for p in posts}
    assert by_id["900"].text == full
    assert by_id["901"].text == "short"


def test_deleted_tweets_are_read_too(tmp_path: Path) -> None:
    files = af.x_files(tweets()[:1], deleted=[af.Tweet("77", "regretted this one", T0)])
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    deleted = [p for p in posts if p.id == "77"]
    assert deleted and deleted[0].source == "data/deleted-tweets.js"


def test_one_line_empty_file_and_bom(tmp_path: Path) -> None:
    files = af.x_files(tweets()[:1])
    files["data/tweets-part1.js"] = b"window.YTD.tweets.part1 = [ ]"
    files["data/tweets.js"] = b"\xef\xbb\xbf" + files["data/tweets.js"] + b";"
    posts, skips = read(af.write_zip(tmp_path / "x.zip", files))
    assert [p.id for p in posts] == ["101"]
    assert skips.total == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("columns", [af.GRAILBIRD_NEW, af.GRAILBIRD_OLD])
def test_grailbird_csv_in_both_column_orders(tmp_path: Path, columns: list[str]) -> None:
    data = af.grailbird_csv(
        [af.Tweet("11", "Old &amp; gold #tbt", datetime(2012, 12, 19, 14, 29, 39, tzinfo=UTC)),
         af.Tweet("12", "a reply", T0, reply_to="x"),
         af.Tweet("13", "RT @a: something", T0)],
        columns=columns, retweet_ids=["13"])
    posts, _ = read(af.write_zip(tmp_path / "grailbird.zip", {"tweets.csv": data,
                                                               "data/js/user_details.js": b""}))
    by_id = {p.id: p for p in posts}
    assert by_id["11"].created_at == datetime(2012, 12, 19, 14, 29, 39, tzinfo=UTC)
    assert by_id["11"].hashtags == ["tbt"]
    assert by_id["12"].kind is PostKind.REPLY
    assert by_id["13"].kind is PostKind.REPOST


def test_dates_parse_in_any_locale() -> None:
    assert parse_x_date("Thu May 14 01:38:56 +0000 2020") == T0
    assert parse_x_date("Thu May 14 03:38:56 +0200 2020") == T0
    assert parse_x_date("not a date") is None


def test_bad_records_are_counted_with_reasons(tmp_path: Path) -> None:
    files = af.x_files(tweets()[:2])
    files["data/tweets-part1.js"] = (
        b'window.YTD.tweets.part1 = [ {"tweet": {"id_str": "5"}}, '
        b'{"tweet": {"id_str": "6", "full_text": "ok", "created_at": "x"}}, {"tweet": {"id_str" '
    )
    posts, skips = read(af.write_zip(tmp_path / "x.zip", files))
    assert {p.id for p in posts} == {"101", "102", "6"}
    reasons = {r.reason: r.count for r in skips.reasons}  # type: ignore[attr-defined]
    assert reasons["tweet without id or text"] == 1
    assert any(r.startswith("malformed JSON") for r in reasons)


def test_community_tweets_are_own_posts(tmp_path: Path) -> None:
    files = af.x_files(tweets()[:1])
    files["data/community-tweet.js"] = af.x_js(
        "community_tweet", [af.tweet_record(af.Tweet("555", "in a community", T0))])
    posts, _ = read(af.write_zip(tmp_path / "x.zip", files))
    assert {p.id for p in posts} == {"101", "555"}
