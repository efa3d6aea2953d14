"""Facebook "Download your information" (JSON): posts, comments, group posts and comments."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from kaleidoscope.check.archives.common import (
    ReadContext,
    as_dict,
    as_list,
    as_str,
    from_unix,
    repair_tree,
)
from kaleidoscope.check.records import Platform, Post, PostKind

PLATFORM = Platform.FACEBOOK
LABEL = "Facebook"
_POSTS = (
    r"posts/your_posts__check_ins__photos_and_videos_\d+\.json",
    r"posts/your_posts_\d+\.json",
)
_COMMENTS = (r"comments_and_reactions/comments\.json", r"comments/comments\.json")
_GROUP_POSTS = (r"groups/group_posts_and_comments\.json", r"groups/your_posts_in_groups\.json")
_GROUP_COMMENTS = (r"groups/your_comments_in_groups\.json",)
_ALBUMS = (r"posts/album/\d+\.json",)
MARKERS = (*_POSTS, *_COMMENTS, *_GROUP_POSTS, *_GROUP_COMMENTS)
WANTED = (*MARKERS, *_ALBUMS)
LOOKED_FOR = (
    "posts/your_posts__check_ins__photos_and_videos_N.json, posts/your_posts_N.json, "
    "comments_and_reactions/comments.json, comments/comments.json, "
    "groups/group_posts_and_comments.json, groups/your_comments_in_groups.json"
)


def _post_id(kind: str, entry: dict[str, Any], index: int, text: str) -> str:
    digest = hashlib.sha1(f"{entry.get('timestamp')}|{text}".encode(), usedforsecurity=False)
    return f"fb-{kind}-{entry.get('timestamp', index)}-{digest.hexdigest()[:8]}"


def post_from_entry(raw: Any, *, source: str, index: int, kind: str = "post") -> Post | None:
    """A posts-file entry: text in data[].post, else a caption in media.description."""
    entry = repair_tree(as_dict(raw))
    texts = [as_str(as_dict(d).get("post")) for d in as_list(entry.get("data"))]
    text = "\n".join(t for t in texts if t)
    captions: list[str] = []
    location: str | None = None
    media = 0
    for attachment in as_list(entry.get("attachments")):
        for item in as_list(as_dict(attachment).get("data")):
            item = as_dict(item)
            if "media" in item:
                media += 1
                caption = as_str(as_dict(item["media"]).get("description"))
                if caption and caption not in captions and caption != text:
                    captions.append(caption)
            if "place" in item:
                place = as_dict(item["place"])
                location = as_str(place.get("name")) or as_str(place.get("address")) or None
    if captions:  # photo descriptions are the person's words too
        text = "\n\n".join([text, *captions]) if text else "\n".join(captions)
    if not text and location is None and not media:
        return None
    tags = [as_str(as_dict(t).get("name")) or as_str(t) for t in as_list(entry.get("tags"))]
    return Post(
        id=_post_id(kind, entry, index, text),
        text=text,
        platform=Platform.FACEBOOK,
        kind=PostKind.POST,
        created_at=from_unix(entry.get("timestamp")),
        hashtags=re.findall(r"(?<!\w)#(\w+)", text),
        mentions=[t for t in tags if t],
        media_count=media,
        location=location,
        source=source,
    )


def comment_from_entry(raw: Any, *, source: str, index: int) -> Post | None:
    entry = repair_tree(as_dict(raw))
    for item in as_list(entry.get("data")):
        comment = as_dict(as_dict(item).get("comment"))
        text = as_str(comment.get("comment"))
        if text:
            return Post(
                id=_post_id("comment", entry, index, text),
                text=text,
                platform=Platform.FACEBOOK,
                kind=PostKind.COMMENT,
                created_at=from_unix(comment.get("timestamp") or entry.get("timestamp")),
                hashtags=re.findall(r"(?<!\w)#(\w+)", text),
                source=source,
            )
    return None


def read(ctx: ReadContext) -> Iterator[Post]:
    for name in ctx.find(*_POSTS):
        for index, record in enumerate(ctx.records(name, keys=("status_updates_v2",))):
            post = post_from_entry(record, source=name, index=index)
            if post is None:
                ctx.skips.add("post without text, caption or place (a shared link, "
                              "life event or reaction)", f"{name} record {index + 1}")
                continue
            yield post
    for name in ctx.find(*_ALBUMS):
        for index, record in enumerate(ctx.records(name, keys=("photos",))):
            photo = repair_tree(as_dict(record))
            text = as_str(photo.get("description"))
            if not text:
                continue  # a photo without a description: nothing written
            yield Post(
                id=_post_id("photo", photo, index, text),
                text=text,
                platform=Platform.FACEBOOK,
                created_at=from_unix(photo.get("creation_timestamp")),
                hashtags=re.findall(r"(?<!\w)#(\w+)", text),
                media_count=1,
                source=name,
            )
    for name in ctx.find(*_GROUP_POSTS):
        for index, record in enumerate(ctx.records(name, keys=("group_posts_v2",))):
            post = post_from_entry(record, source=name, index=index, kind="group")
            if post is None:
                ctx.skips.add("group post without text", f"{name} record {index + 1}")
                continue
            yield post
    comment_files = [(n, "comments_v2") for n in ctx.find(*_COMMENTS)]
    comment_files += [(n, "group_comments_v2") for n in ctx.find(*_GROUP_COMMENTS)]
    for name, key in comment_files:
        for index, record in enumerate(ctx.records(name, keys=(key,))):
            post = comment_from_entry(record, source=name, index=index)
            if post is None:
                ctx.skips.add("comment without text (a sticker or photo)",
                              f"{name} record {index + 1}")
                continue
            yield post
