"""Mastodon archives built in code: zip and tar.gz, audience from to/cc, HTML content."""

from __future__ import annotations

from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import open_archive
from kaleidoscope.check.archives.mastodon import html_to_text
from kaleidoscope.check.records import Audience, Platform, PostKind

LINK = ('<a href="https://example.org/a/long/path" rel="nofollow noopener">'
        '<span class="invisible">https://</span><span class="ellipsis">example.org/a/lo</span>'
        '<span class="invisible">ng/path</span></a>')


def items() -> list[dict[str, object]]:
    return [
        af.toot(1, f"<p>Reading this &amp; thinking</p><p>{LINK}<br>second line</p>",
                hashtags=["socialwork"], alt=["Our team photo at the office"]),
        af.toot(2, "<p>unlisted one</p>", audience="unlisted"),
        af.toot(3, "<p>for followers</p>", audience="followers",
                summary="work stuff", reply_to="https://other.example/statuses/1"),
        af.toot(4, "<p>a direct message</p>", audience="direct"),
        af.boost(5, "https://other.example/statuses/99"),
        {"type": "Like", "object": "x"},
    ]


@pytest.mark.parametrize("writer,name", [(af.write_zip, "m.zip"), (af.write_targz, "m.tar.gz")])
def test_outbox_in_zip_and_tar_gz(tmp_path: Path, writer: object, name: str) -> None:
    path = writer(tmp_path / name, af.mastodon_files(items()))  # type: ignore[operator]
    with open_archive(path) as archive:
        assert archive.platform is Platform.MASTODON
        posts = list(archive.posts())
        skipped = {r.reason: r.count for r in archive.skips.reasons}
    first, unlisted, followers, direct, boost = posts
    assert first.text == (
        "Reading this & thinking\n\nhttps://example.org/a/long/path\nsecond line\n\n"
        "[image description: Our team photo at the office]"
    )
    assert first.audience is Audience.PUBLIC and first.hashtags == ["socialwork"]
    assert first.media_count == 1
    assert first.url == "https://social.example/@practitioner/1"
    assert unlisted.audience is Audience.UNLISTED
    assert followers.audience is Audience.FOLLOWERS and followers.kind is PostKind.REPLY
    assert followers.text.startswith("work stuff\n\n")  # the content warning is checked too
    assert direct.audience is Audience.DIRECT
    assert boost.kind is PostKind.REPOST and boost.url == "https://other.example/statuses/99"
    assert skipped == {"activity that is not a post or boost": 1}


def test_html_to_text() -> None:
    assert html_to_text("<p>a<br/>b</p><p>c</p>") == "a\nb\n\nc"
    assert html_to_text("plain") == "plain"
    assert html_to_text("<p>&lt;3 &#39;x&#39;</p>") == "<3 'x'"
