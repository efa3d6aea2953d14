"""Bluesky "Export my data": repo.car, a CAR file of DAG-CBOR blocks (decoded by libipld)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kaleidoscope.check.archives.common import (
    ReadContext,
    as_dict,
    as_list,
    as_str,
    from_iso,
)
from kaleidoscope.check.archives.container import EntrySkip
from kaleidoscope.check.archives.errors import TruncatedArchiveError
from kaleidoscope.check.archives.limits import MIB
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

PLATFORM = Platform.BLUESKY
LABEL = "Bluesky"
MARKERS = (r"[^/]*\.car",)
WANTED = MARKERS
LOOKED_FOR = "repo.car (any .car file)"
POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"


def char_offset(encoded: bytes, byte_offset: int) -> int:
    """Character (code point) offset for a UTF-8 byte offset into the same text."""
    return len(encoded[: max(byte_offset, 0)].decode("utf-8", "ignore"))


def facet_spans(text: str, facets: Any) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, value) per facet feature, start/end in characters."""
    encoded = text.encode("utf-8")
    spans: list[tuple[str, int, int, str]] = []
    for facet in as_list(facets):
        index = as_dict(as_dict(facet).get("index"))
        b_start, b_end = index.get("byteStart"), index.get("byteEnd")
        if not isinstance(b_start, int) or not isinstance(b_end, int) or b_end < b_start:
            continue
        start, end = char_offset(encoded, b_start), char_offset(encoded, b_end)
        for feature in as_list(as_dict(facet).get("features")):
            kind = as_str(as_dict(feature).get("$type")).rsplit("#", 1)[-1]
            value = text[start:end]
            if kind == "tag":
                value = as_str(as_dict(feature).get("tag")) or value.lstrip("#")
            elif kind == "mention":
                value = value.lstrip("@")
            elif kind == "link":
                value = as_str(as_dict(feature).get("uri")) or value
            spans.append((kind, start, end, value))
    return spans


def _walk(blocks: dict[bytes, Any], root: bytes) -> dict[bytes, str]:
    """Record CID -> "collection/rkey" from the Merkle search tree under ``root``."""
    keys: dict[bytes, str] = {}
    stack: list[tuple[bytes, int]] = [(root, 0)]
    seen: set[bytes] = set()
    while stack:
        cid, _ = stack.pop()
        if cid in seen:
            continue
        seen.add(cid)
        node = as_dict(blocks.get(cid))
        children: list[bytes] = []
        left = node.get("l")
        if isinstance(left, bytes):
            children.append(left)
        previous = b""
        for entry in as_list(node.get("e")):
            entry = as_dict(entry)
            prefix, suffix = entry.get("p", 0), entry.get("k", b"")
            if not isinstance(prefix, int) or not isinstance(suffix, bytes):
                continue
            key = previous[:prefix] + suffix
            previous = key
            value = entry.get("v")
            if isinstance(value, bytes):
                keys[value] = key.decode("utf-8", "replace")
            subtree = entry.get("t")
            if isinstance(subtree, bytes):
                children.append(subtree)
        stack.extend((c, 0) for c in reversed(children))
    return keys


def record_post(
    record: dict[str, Any], *, key: str | None, did: str | None, source: str, index: int
) -> Post:
    rkey = key.rsplit("/", 1)[-1] if key else None
    url = f"https://bsky.app/profile/{did}/post/{rkey}" if did and rkey else None
    if record.get("$type") == REPOST:
        subject = as_str(as_dict(record.get("subject")).get("uri"))
        return Post(id=key or f"repost-{index}", text="", platform=Platform.BLUESKY,
                    audience=Audience.PUBLIC, kind=PostKind.REPOST,
                    created_at=from_iso(record.get("createdAt")), url=subject or None,
                    source=source)
    text = as_str(record.get("text"))
    spans = facet_spans(text, record.get("facets"))
    embed = as_dict(record.get("embed"))
    images = as_list(embed.get("images")) or as_list(as_dict(embed.get("media")).get("images"))
    alts = [alt for i in images if (alt := as_str(as_dict(i).get("alt")).strip())]
    full = "\n\n".join([text, *(f"[image description: {a}]" for a in alts)]) if alts else text
    return Post(
        id=f"at://{did}/{key}" if did and key else f"bsky-{index}",
        text=full,
        platform=Platform.BLUESKY,
        audience=Audience.PUBLIC,
        kind=PostKind.REPLY if record.get("reply") else PostKind.POST,
        created_at=from_iso(record.get("createdAt")),
        url=url,
        hashtags=[v for k, _, _, v in spans if k == "tag"],
        mentions=[v for k, _, _, v in spans if k == "mention"],
        media_count=len(images),
        source=source,
    )


def read(ctx: ReadContext) -> Iterator[Post]:
    """Posts of every readable CAR file; ``TruncatedArchiveError`` when none can be read
    (a broken export must not look like one with no posts)."""
    import libipld

    names = ctx.find(*MARKERS)
    broken: list[str] = []
    for name in names:
        size = ctx.container.sizes[name]
        limit = ctx.container.limits.max_car_bytes
        if size > limit:
            ctx.skips.add(f"file skipped: CAR file over the {limit // MIB} MiB limit", name)
            continue
        try:
            with ctx.container.open(name) as stream:
                data = stream.read()
        except EntrySkip as exc:
            ctx.skips.add(f"file skipped: {exc}", name)
            continue
        try:
            header, blocks = libipld.decode_car(data)
        except Exception as exc:  # libipld raises several kinds for bad CAR data
            ctx.skips.add(f"file skipped: not a valid CAR file ({type(exc).__name__})", name)
            broken.append(name)
            continue
        del data
        did: str | None = None
        keys: dict[bytes, str] = {}
        roots = as_list(as_dict(header).get("roots"))
        commit = as_dict(blocks.get(roots[0])) if roots and isinstance(roots[0], bytes) else {}
        if commit:
            did = as_str(commit.get("did")) or None
            if isinstance(commit.get("data"), bytes):
                keys = _walk(blocks, commit["data"])
        if not keys:
            ctx.skips.add("repository tree not found: posts read without links", name, 0)
        ordered = sorted(blocks.items(), key=lambda kv: keys.get(kv[0], "~"))
        for index, (cid, record) in enumerate(ordered):
            if not isinstance(record, dict) or record.get("$type") not in (POST, REPOST):
                continue
            yield record_post(record, key=keys.get(cid), did=did, source=name, index=index)
    if names and len(broken) == len(names):
        raise TruncatedArchiveError(
            f"{', '.join(broken)}: not a valid CAR file (truncated or damaged); download "
            "your Bluesky data again (Settings, Account, Export my data)"
        )
