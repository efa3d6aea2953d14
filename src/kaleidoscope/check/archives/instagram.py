"""Instagram (and Threads) exports: posts, comments, Threads posts and replies."""

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

PLATFORM = Platform.INSTAGRAM
LABEL = "Instagram"
_POSTS = (r"content/posts_\d+\.json", r"media/posts_\d+\.json")
_STORIES = (r"(?:content|media)/stories\.json", r"(?:content|media)/reels\.json")
_COMMENTS = (r"comments/post_comments_\d+\.json", r"comments/reels_comments\.json")
_THREADS = (r"threads/threads_and_replies\.json",)
MARKERS = (*_POSTS, *_COMMENTS, *_THREADS, *_STORIES)
WANTED = MARKERS
LOOKED_FOR = (
    "content/posts_N.json, media/posts_N.json, comments/post_comments_N.json, "
    "threads/threads_and_replies.json, content/stories.json, content/reels.json"
)
_TAG = re.compile(r"(?<!\w)#(\w+)")
_MENTION = re.compile(r"(?<![\w.])@([\w.]+\w)")


def _id(prefix: str, timestamp: Any, text: str) -> str:
    digest = hashlib.sha1(f"{timestamp}|{text}".encode(), usedforsecurity=False)
    return f"{prefix}-{timestamp}-{digest.hexdigest()[:8]}"


def _post(
    text: str, timestamp: Any, *, platform: Platform, kind: PostKind, media: int, source: str
) -> Post:
    prefix = "th" if platform is Platform.THREADS else "ig"
    return Post(
        id=_id(f"{prefix}-{kind.value}", timestamp, text),
        text=text,
        platform=platform,
        kind=kind,
        created_at=from_unix(timestamp),
        hashtags=_TAG.findall(text),
        mentions=_MENTION.findall(text),
        media_count=media,
        source=source,
    )


def post_from_entry(raw: Any, *, source: str, platform: Platform = Platform.INSTAGRAM) -> (
    Post | None
):
    """A post: caption in ``title``, or only in media[0].title for single-photo posts."""
    entry = repair_tree(as_dict(raw))
    media = as_list(entry.get("media"))
    first = as_dict(media[0]) if media else {}
    text = as_str(entry.get("title")) or as_str(first.get("title"))
    timestamp = entry.get("creation_timestamp") or first.get("creation_timestamp")
    count = len(media) or (1 if entry.get("uri") else 0)  # a story is itself one media item
    if not text and not count:
        return None
    return _post(text, timestamp, platform=platform, kind=PostKind.POST, media=count,
                 source=source)


def comment_from_entry(raw: Any, *, source: str) -> Post | None:
    data = as_dict(repair_tree(as_dict(raw)).get("string_map_data"))
    text = as_str(as_dict(data.get("Comment")).get("value"))
    if not text:
        return None
    timestamp = as_dict(data.get("Time")).get("timestamp")
    return _post(text, timestamp, platform=Platform.INSTAGRAM, kind=PostKind.COMMENT, media=0,
                 source=source)


def read(ctx: ReadContext) -> Iterator[Post]:
    for name in ctx.find(*_POSTS):
        for index, record in enumerate(ctx.records(name)):
            post = post_from_entry(record, source=name)
            if post is None:
                ctx.skips.add("post without caption or media", f"{name} record {index + 1}")
                continue
            yield post
    for name in ctx.find(*_STORIES):
        for index, record in enumerate(ctx.records(name)):  # {"ig_stories": [...]} etc.
            post = post_from_entry(record, source=name)
            if post is None:
                ctx.skips.add("story or reel without caption", f"{name} record {index + 1}")
                continue
            yield post
    for name in ctx.find(*_COMMENTS):
        for index, record in enumerate(ctx.records(name)):
            post = comment_from_entry(record, source=name)
            if post is None:
                ctx.skips.add("comment without text", f"{name} record {index + 1}")
                continue
            yield post
    for name in ctx.find(*_THREADS):
        for index, record in enumerate(ctx.records(name, keys=("text_post_app_text_posts",))):
            post = post_from_entry(record, source=name, platform=Platform.THREADS)
            if post is None:
                ctx.skips.add("Threads post without text", f"{name} record {index + 1}")
                continue
            yield post
