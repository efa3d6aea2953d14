"""Bluesky repo.car built in code: DAG-CBOR blocks, a Merkle search tree, byte offsets."""

from __future__ import annotations

from pathlib import Path

import archive_factory as af
import pytest

from kaleidoscope.check.archives import TruncatedArchiveError, open_archive
from kaleidoscope.check.archives.bluesky import char_offset, facet_spans
from kaleidoscope.check.records import Audience, Platform, PostKind

TEXT = "Café ☕ talk on #kinship care with @alice.bsky.social 🎉"


def records() -> list[tuple[str, dict[str, object]]]:
    return [
        ("app.bsky.feed.post/3kaaa", af.bsky_post(
            TEXT, tags=["kinship"], mentions=[("alice.bsky.social", "did:plc:alice")],
            images=["Slides on the screen"])),
        ("app.bsky.feed.post/3kbbb", af.bsky_post("a reply 😀", reply=True)),
        ("app.bsky.feed.post/3kccc", af.bsky_post("third")),
        ("app.bsky.feed.repost/3kddd", {"$type": "app.bsky.feed.repost",
                                        "subject": {"uri": "at://did:plc:x/app.bsky.feed.post/1",
                                                    "cid": "bafy"},
                                        "createdAt": "2024-05-02T00:00:00Z"}),
        ("app.bsky.feed.post/3keee", af.bsky_post("fifth", "2024-06-01T00:00:00Z")),
        ("app.bsky.actor.profile/self", {"$type": "app.bsky.actor.profile"}),
    ]


def test_repo_car_posts_with_record_keys(tmp_path: Path) -> None:
    path = tmp_path / "repo.car"
    path.write_bytes(af.bluesky_car(records()))
    with open_archive(path) as archive:
        assert archive.platform is Platform.BLUESKY
        posts = list(archive.posts())
        assert archive.skips.total == 0
    # in record-key order: collection, then the time-ordered rkey
    assert [p.kind for p in posts] == [PostKind.POST, PostKind.REPLY, PostKind.POST,
                                       PostKind.POST, PostKind.REPOST]
    first = posts[0]
    assert first.text == TEXT + "\n\n[image description: Slides on the screen]"
    assert first.url == "https://bsky.app/profile/did:plc:abc123/post/3kaaa"
    assert first.hashtags == ["kinship"]
    assert first.mentions == ["alice.bsky.social"]
    assert first.media_count == 1 and first.audience is Audience.PUBLIC
    assert posts[3].url == "https://bsky.app/profile/did:plc:abc123/post/3keee"


def test_facet_byte_offsets_become_character_offsets() -> None:
    record = af.bsky_post(TEXT, tags=["kinship"],
                          mentions=[("alice.bsky.social", "did:plc:alice")])
    spans = facet_spans(TEXT, record["facets"])
    tag = next(s for s in spans if s[0] == "tag")
    mention = next(s for s in spans if s[0] == "mention")
    assert TEXT[tag[1]:tag[2]] == "#kinship"
    assert TEXT[mention[1]:mention[2]] == "@alice.bsky.social"
    byte_start = record["facets"][0]["index"]["byteStart"]  # type: ignore[index]
    assert byte_start != tag[1]  # "é" and "☕" take more bytes than characters
    assert char_offset("é☕x".encode(), 5) == 2


def test_car_inside_a_zip_and_a_broken_car(tmp_path: Path) -> None:
    car = af.bluesky_car(records())
    path = af.write_zip(tmp_path / "bsky.zip", {"repo.car": car})
    with open_archive(path) as archive:
        assert len(list(archive.posts())) == 5
    broken = tmp_path / "broken.car"
    broken.write_bytes(car[: len(car) // 2])
    with open_archive(broken) as archive, pytest.raises(  # never "0 posts" (issue 14)
        TruncatedArchiveError, match=r"broken\.car: not a valid CAR file"
    ):
        list(archive.posts())
