"""Mastodon archives (.zip, or .tar.gz before 2023): outbox.json with actor.json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from kaleidoscope.check.archives.common import (
    ReadContext,
    as_dict,
    as_list,
    as_str,
    from_iso,
)
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

PLATFORM = Platform.MASTODON
LABEL = "Mastodon"
MARKERS = (r"outbox\.json",)
WANTED = (r"outbox\.json", r"actor\.json")
LOOKED_FOR = "outbox.json (with actor.json)"
PUBLIC = frozenset(
    {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
)
_BLOCK_END = frozenset({"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4"})


class _TextParser(HTMLParser):
    """Toot HTML to text: <br> and </p> become line breaks, link pieces are joined."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_END:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # span.invisible holds the hidden parts of a long link ("https://", the tail): kept,
        # so the link reads whole rather than cut, and the visible "…" is never added.
        self.parts.append(data)


def html_to_text(content: str) -> str:
    if "<" not in content and "&" not in content:
        return content
    parser = _TextParser()
    parser.feed(content)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def audience(to: Any, cc: Any, followers: str | None) -> Audience:
    to_set = {as_str(x) for x in (to if isinstance(to, list) else [to])}
    cc_set = {as_str(x) for x in (cc if isinstance(cc, list) else [cc])}
    if to_set & PUBLIC:
        return Audience.PUBLIC
    if cc_set & PUBLIC:
        return Audience.UNLISTED
    if followers and followers in to_set:
        return Audience.FOLLOWERS
    if any(x.endswith("/followers") for x in to_set):
        return Audience.FOLLOWERS
    return Audience.DIRECT


def activity_post(raw: Any, *, source: str, followers: str | None) -> Post | None:
    item = as_dict(raw)
    kind_name = item.get("type")
    published = from_iso(item.get("published"))
    if kind_name == "Announce":
        target = item.get("object")
        url = target if isinstance(target, str) else as_str(as_dict(target).get("id"))
        return Post(
            id=as_str(item.get("id")) or url,
            text="",
            platform=Platform.MASTODON,
            audience=audience(item.get("to"), item.get("cc"), followers),
            kind=PostKind.REPOST,
            created_at=published,
            url=url or None,
            source=source,
        )
    if kind_name != "Create":
        return None
    note = as_dict(item.get("object"))
    if note.get("type") not in ("Note", "Question", "Article"):
        return None
    body = html_to_text(as_str(note.get("content")))
    warning = as_str(note.get("summary")).strip()
    pieces = [warning, body] if warning else [body]
    options = as_list(note.get("oneOf")) or as_list(note.get("anyOf"))
    pieces += [as_str(as_dict(o).get("name")) for o in options]
    attachments = as_list(note.get("attachment"))
    pieces += [
        f"[image description: {alt}]"
        for a in attachments
        if (alt := as_str(as_dict(a).get("name")).strip())
    ]
    tags = as_list(note.get("tag"))
    return Post(
        id=as_str(note.get("id")) or as_str(item.get("id")),
        text="\n\n".join(p for p in pieces if p),
        platform=Platform.MASTODON,
        audience=audience(note.get("to", item.get("to")), note.get("cc", item.get("cc")),
                          followers),
        kind=PostKind.REPLY if note.get("inReplyTo") else PostKind.POST,
        created_at=from_iso(note.get("published")) or published,
        url=as_str(note.get("url")) or as_str(note.get("id")) or None,
        hashtags=[as_str(as_dict(t).get("name")).lstrip("#") for t in tags
                  if as_dict(t).get("type") == "Hashtag"],
        mentions=[as_str(as_dict(t).get("name")).lstrip("@") for t in tags
                  if as_dict(t).get("type") == "Mention"],
        media_count=len(attachments),
        source=source,
    )


def read(ctx: ReadContext) -> Iterator[Post]:
    followers: str | None = None
    for name in ctx.find(r"actor\.json"):
        followers = as_str(as_dict(ctx.load_json(name)).get("followers")) or None
    for name in ctx.find(r"outbox\.json"):
        for index, record in enumerate(ctx.records(name, keys=("orderedItems",))):
            post = activity_post(record, source=name, followers=followers)
            if post is None:
                ctx.skips.add("activity that is not a post or boost",
                              f"{name} record {index + 1}")
                continue
            yield post
