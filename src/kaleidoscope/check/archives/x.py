"""X / Twitter archives: tweets.js (and parts), note-tweet.js, deleted tweets, tweets.csv."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from kaleidoscope.check.archives.common import (
    ReadContext,
    as_dict,
    as_list,
    as_str,
    from_iso,
    unescape,
)
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

PLATFORM = Platform.X
LABEL = "X (Twitter)"
_TWEETS = (r"tweets?\.js", r"tweets?-part\d+\.js", r"community-tweets?(?:-part\d+)?\.js")
_DELETED = (r"deleted-tweets?\.js", r"deleted-tweets?-part\d+\.js")
MARKERS = (*_TWEETS, r"tweets\.csv", *_DELETED)
WANTED = (*MARKERS, r"note-tweet\.js", r"note-tweet-part\d+\.js", r"manifest\.js", r"account\.js")
LOOKED_FOR = (
    "tweets.js, tweet.js, tweets-partN.js, community-tweet.js, deleted-tweets.js or tweets.csv"
)

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_RT = re.compile(r"^RT @\w+:")


@functools.lru_cache(maxsize=64)
def _zone(offset: str) -> timezone:
    """The time zone of an offset such as ``+0000`` (ValueError when it is none)."""
    sign = -1 if offset.startswith("-") else 1
    return timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))


def parse_x_date(value: str) -> datetime | None:
    """``Thu May 14 01:38:56 +0000 2020`` without relying on the process locale."""
    parts = value.split()
    if len(parts) != 6:
        return None
    _, mon, day, clock, offset, year = parts
    month = _MONTHS.get(mon.lower())
    try:
        hh, mm, ss = (int(p) for p in clock.split(":"))
        tz = UTC if offset == "+0000" else _zone(offset)  # nearly every tweet: UTC
        if month is None:
            return None
        when = datetime(int(year), month, int(day), hh, mm, ss, tzinfo=tz)
        return when if tz is UTC else when.astimezone(UTC)
    except ValueError:
        return None


def parse_grailbird_date(value: str) -> datetime | None:
    """``2012-12-19 14:29:39 +0000`` (also without the offset)."""
    value = value.strip()
    for pattern in ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _username(ctx: ReadContext) -> str | None:
    for name in ctx.find(r"account\.js"):
        data = ctx.load_json(name)
        for item in as_list(data):
            user = as_str(as_dict(as_dict(item).get("account")).get("username"))
            if user:
                return user
    return None


def _manifest_files(ctx: ReadContext) -> list[str]:
    """Entry names that manifest.js lists for tweets, deleted tweets and note tweets."""
    names: list[str] = []
    for manifest in ctx.find(r"manifest\.js"):
        data = as_dict(ctx.load_json(manifest))
        prefix = manifest[: -len("manifest.js")]  # the manifest sits in data/
        root = prefix[: -len("data/")] if prefix.endswith("data/") else prefix
        for key, spec in as_dict(data.get("dataTypes")).items():
            if key.lower() not in ("tweets", "tweet", "deletedtweets", "notetweet"):
                continue
            for entry in as_list(as_dict(spec).get("files")):
                file_name = as_str(as_dict(entry).get("fileName")).lstrip("/")
                for candidate in (root + file_name, prefix + file_name.split("/")[-1]):
                    if candidate in ctx.container.sizes and candidate not in names:
                        names.append(candidate)
    return names


def _notes(ctx: ReadContext) -> dict[int, list[str]]:
    """Full texts of long tweets, by the epoch second they were posted."""
    notes: dict[int, list[str]] = {}
    for name in ctx.find(r"note-tweet\.js", r"note-tweet-part\d+\.js"):
        for record in ctx.records(name):
            note = as_dict(as_dict(record).get("noteTweet"))
            created = from_iso(note.get("createdAt"))
            text = as_str(as_dict(note.get("core")).get("text"))
            if created is None or not text:
                ctx.skips.add("note tweet without time or text", name)
                continue
            notes.setdefault(int(created.timestamp()), []).append(unescape(text))
    return notes


def _full_text(text: str, created: datetime | None, notes: dict[int, list[str]]) -> str:
    if not notes or created is None:
        return text
    second = int(created.timestamp())
    candidates = [n for s in (second, second - 1, second + 1) for n in notes.get(s, [])]
    if not candidates:
        return text
    head = re.sub(r"\s*(https://t\.co/\S+)?\s*…?$", "", text)[:40]
    for note in candidates:
        if note.startswith(head):
            return note
    looks_cut = len(text) >= 250 or text.rstrip().endswith("…")
    return candidates[0] if len(candidates) == 1 and looks_cut else text


def tweet_post(
    raw: Any, *, source: str, user: str | None, notes: dict[int, list[str]]
) -> Post | None:
    """One record of tweets.js (with or without the "tweet" wrapper) as a Post."""
    tweet = as_dict(raw)
    tweet = as_dict(tweet.get("tweet")) or tweet
    tweet_id = tweet.get("id_str") or tweet.get("id")
    text = tweet.get("full_text", tweet.get("text"))
    if not isinstance(text, str) or tweet_id is None:
        return None
    text = unescape(text)
    created = parse_x_date(as_str(tweet.get("created_at")))
    entities = as_dict(tweet.get("entities"))
    for url in as_list(entities.get("urls")):
        short, expanded = as_str(as_dict(url).get("url")), as_str(as_dict(url).get("expanded_url"))
        if short and expanded:
            text = text.replace(short, expanded)
    media = as_list(as_dict(tweet.get("extended_entities")).get("media")) or as_list(
        entities.get("media")
    )
    for item in media:  # the t.co link X appends for attached photos and videos
        short = as_str(as_dict(item).get("url"))
        if short and short in text:
            text = text.replace(short, "").rstrip()
    if _RT.match(text):
        kind = PostKind.REPOST
    else:
        text = _full_text(text, created, notes)
        replied = tweet.get("in_reply_to_status_id_str") or tweet.get("in_reply_to_screen_name")
        kind = PostKind.REPLY if replied else PostKind.POST
    tid = str(tweet_id)
    return Post(
        id=tid,
        text=text,
        platform=Platform.X,
        audience=Audience.PUBLIC,
        kind=kind,
        created_at=created,
        url=f"https://x.com/{user or 'i/web'}/status/{tid}",
        hashtags=[as_str(as_dict(h).get("text")) for h in as_list(entities.get("hashtags"))],
        mentions=[
            as_str(as_dict(m).get("screen_name")) for m in as_list(entities.get("user_mentions"))
        ],
        media_count=len(media),
        source=source,
    )


def _grailbird(ctx: ReadContext, name: str, user: str | None) -> Iterator[Post]:
    for line, row in ctx.csv_rows(name):
        tweet_id = row.get("tweet_id", "").strip()
        text = row.get("text")
        if not tweet_id or text is None:
            ctx.skips.add("tweets.csv row without tweet_id or text", f"{name} line {line}")
            continue
        text = unescape(text)
        if row.get("retweeted_status_id", "").strip() or _RT.match(text):
            kind = PostKind.REPOST
        elif row.get("in_reply_to_status_id", "").strip():
            kind = PostKind.REPLY
        else:
            kind = PostKind.POST
        yield Post(
            id=tweet_id,
            text=text,
            platform=Platform.X,
            audience=Audience.PUBLIC,
            kind=kind,
            created_at=parse_grailbird_date(row.get("timestamp", "")),
            url=f"https://x.com/{user or 'i/web'}/status/{tweet_id}",
            hashtags=re.findall(r"(?<!\w)#(\w+)", text),
            mentions=re.findall(r"(?<!\w)@(\w+)", text) if kind is not PostKind.REPOST else [],
            source=name,
        )


def read(ctx: ReadContext) -> Iterator[Post]:
    user = _username(ctx)
    notes = _notes(ctx)
    files = _manifest_files(ctx)
    for name in ctx.find(*_TWEETS, *_DELETED):
        if name not in files:
            files.append(name)
    seen: set[str] = set()
    for name in files:
        if "note-tweet" in name.rsplit("/", 1)[-1]:
            continue
        for index, record in enumerate(ctx.records(name)):
            post = tweet_post(record, source=name, user=user, notes=notes)
            if post is None:
                ctx.skips.add("tweet without id or text", f"{name} record {index + 1}")
                continue
            if post.id in seen:
                continue
            seen.add(post.id)
            yield post
    for name in ctx.find(r"tweets\.csv"):
        for post in _grailbird(ctx, name, user):
            if post.id not in seen:
                seen.add(post.id)
                yield post
