"""Facebook exports built in code: three folder layouts, split post files, mojibake."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import open_archive
from kaleidoscope.check.archives.common import repair
from kaleidoscope.check.records import Platform, Post, PostKind

TS = 1_600_000_000


def read(path: Path) -> tuple[list[Post], dict[str, int]]:
    with open_archive(path) as archive:
        assert archive.platform is Platform.FACEBOOK
        posts = list(archive.posts())
        return posts, {r.reason: r.count for r in archive.skips.reasons}


def test_the_encoding_defect_is_in_the_file_and_repaired(tmp_path: Path) -> None:
    files = af.facebook_files([[af.fb_post(TS, "Café with Zoë 😂 — naïve")]])
    raw = next(v for k, v in files.items() if "your_posts" in k)
    assert b"\\u00c3\\u00a9" in raw  # "é" written as two escaped bytes
    posts, _ = read(af.write_zip(tmp_path / "fb.zip", files))
    assert posts[0].text == "Café with Zoë 😂 — naïve"


def test_repair_keeps_text_that_is_not_mojibake() -> None:
    assert repair("Ã©") == "é"
    assert repair("naïve") == "naïve"  # latin-1 encodable but not UTF-8 bytes: kept
    assert repair("plain") == "plain"
    assert repair("日本") == "日本"


@pytest.mark.parametrize("layout", ["2024", "2022", "old"])
def test_all_three_layouts_and_split_post_files(tmp_path: Path, layout: str) -> None:
    files = af.facebook_files(
        [[af.fb_post(TS, "first file")], [af.fb_post(TS + 60, "second file")]],
        [af.fb_comment(TS + 120, "a comment")],
        layout=layout,
    )
    posts, _ = read(af.write_zip(tmp_path / "fb.zip", files))
    texts = {p.text: p for p in posts}
    assert set(texts) == {"first file", "second file", "a comment"}
    assert texts["a comment"].kind is PostKind.COMMENT
    assert texts["first file"].created_at == datetime.fromtimestamp(TS, UTC)


def test_captions_check_ins_tags_and_empty_entries(tmp_path: Path) -> None:
    files = af.facebook_files([[
        af.fb_post(TS, caption="Our team at the awards 🎉"),
        af.fb_post(TS + 1, place="Eastvale Family Court"),
        af.fb_post(TS + 2, "Out with the girls", tags=["Sam Jones"], place="Red Lion"),
        af.fb_post(TS + 3, link="https://news.example/story"),
    ]], [af.fb_comment(TS + 4, "")])
    posts, skipped = read(af.write_folder(tmp_path / "fb", files))
    caption, checkin, tagged = posts
    assert caption.text == "Our team at the awards 🎉" and caption.media_count == 1
    assert checkin.text == "" and checkin.location == "Eastvale Family Court"
    assert tagged.mentions == ["Sam Jones"] and tagged.location == "Red Lion"
    assert sum(skipped.values()) == 2  # the link-only post and the sticker comment


def test_group_posts_and_group_comments(tmp_path: Path) -> None:
    files = af.facebook_files(
        [[af.fb_post(TS, "own wall")]],
        group_posts=[af.fb_post(TS + 5, "posted in the SW group ✔")],
        group_comments=[af.fb_comment(TS + 6, "commented in the group", group="Social Work UK")],
    )
    posts, _ = read(af.write_targz(tmp_path / "fb.tar.gz", files))
    assert [p.text for p in posts] == ["own wall", "posted in the SW group ✔",
                                       "commented in the group"]
    assert posts[2].kind is PostKind.COMMENT


def test_malformed_file_is_counted_and_others_still_read(tmp_path: Path) -> None:
    files = af.facebook_files([[af.fb_post(TS, "good")]], [af.fb_comment(TS, "kept")])
    files["your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_2.json"] = (
        b'[{"timestamp": 1, "data": [{"post": "ok"}]}, {"timestamp": 2, "data": [{"post": nope'
    )
    posts, skipped = read(af.write_zip(tmp_path / "fb.zip", files))
    assert {p.text for p in posts} == {"good", "ok", "kept"}
    assert any("malformed JSON" in r and "line 1" in r for r in skipped)


def test_photo_descriptions_are_added_to_the_post_text(tmp_path: Path) -> None:
    entry = af.fb_post(TS, "Team day out", caption="Me and the kids from the unit")
    posts, _ = read(af.write_zip(tmp_path / "fb.zip", af.facebook_files([[entry]])))
    assert posts[0].text == "Team day out\n\nMe and the kids from the unit"


def test_album_photo_descriptions(tmp_path: Path) -> None:
    files = af.facebook_files([[af.fb_post(TS, "wall")]])
    files["your_facebook_activity/posts/album/0.json"] = af.meta_json({
        "name": "Work do", "photos": [
            {"uri": "a.jpg", "creation_timestamp": TS + 9, "description": "Christmas do 🎄"},
            {"uri": "b.jpg", "creation_timestamp": TS + 10}],
        "cover_photo": {"uri": "a.jpg"}})
    posts, _ = read(af.write_targz(tmp_path / "fb.tar.gz", files))
    assert [p.text for p in posts] == ["wall", "Christmas do 🎄"]
    assert posts[1].media_count == 1


def test_html_format_export_gets_a_specific_message(tmp_path: Path) -> None:
    from kaleidoscope.check.archives import UnknownPlatformError

    files = {"your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.html":
             b"<html></html>"}
    with pytest.raises(UnknownPlatformError, match="choose the JSON format"):
        open_archive(af.write_zip(tmp_path / "fb.zip", files))
