"""Instagram and Threads exports built in code."""

from __future__ import annotations

from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import open_archive
from kaleidoscope.check.records import Platform, Post, PostKind

TS = 1_650_000_000


def read(path: Path) -> list[Post]:
    with open_archive(path) as archive:
        assert archive.platform is Platform.INSTAGRAM
        return list(archive.posts())


@pytest.mark.parametrize("folder", ["content", "media"])
def test_posts_comments_and_threads(tmp_path: Path, folder: str) -> None:
    files = af.instagram_files(
        [af.ig_post(TS, "Sunday roast 😋 #familytime with @sam.k", photos=3),
         af.ig_post(TS + 1, "Single photo caption ☕", caption_in_media=True)],
        [af.ig_comment(TS + 2, "Gorgeous! 😍", owner="friend")],
        [(TS + 3, "First thread ✨")],
        folder=folder,
    )
    posts = read(af.write_zip(tmp_path / "ig.zip", files))
    first, single, comment, thread = posts
    assert first.text == "Sunday roast 😋 #familytime with @sam.k"
    assert first.hashtags == ["familytime"] and first.mentions == ["sam.k"]
    assert first.media_count == 3
    assert single.text == "Single photo caption ☕"  # only in media[0].title, repaired
    assert single.created_at is not None
    assert comment.kind is PostKind.COMMENT and comment.text == "Gorgeous! 😍"
    assert thread.platform is Platform.THREADS and thread.text == "First thread ✨"


def test_comments_wrapped_in_an_object(tmp_path: Path) -> None:
    files = af.instagram_files([af.ig_post(TS, "p")])
    files["your_instagram_activity/comments/post_comments_1.json"] = af.meta_json(
        {"comments_media_comments": [af.ig_comment(TS, "wrapped é")]})
    posts = read(af.write_folder(tmp_path / "ig", files))
    assert [p.text for p in posts] == ["p", "wrapped é"]


def test_stories_and_reels_captions(tmp_path: Path) -> None:
    files = af.instagram_files([af.ig_post(TS, "p")])
    files["your_instagram_activity/media/stories.json"] = af.meta_json({"ig_stories": [
        {"uri": "media/stories/1.jpg", "creation_timestamp": TS, "title": "Story time 🎈"},
        {"uri": "media/stories/2.jpg", "creation_timestamp": TS, "title": ""}]})
    files["your_instagram_activity/media/reels.json"] = af.meta_json({"ig_reels_media": [
        af.ig_post(TS, "Reel caption")]})
    posts = read(af.write_zip(tmp_path / "ig.zip", files))
    assert [p.text for p in posts] == ["p", "Reel caption", "Story time 🎈", ""]
    assert posts[2].media_count == 1
