"""LinkedIn data export (CSV): Shares.csv and Comments.csv."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from kaleidoscope.check.archives.common import ReadContext
from kaleidoscope.check.records import Audience, Platform, Post, PostKind

PLATFORM = Platform.LINKEDIN
LABEL = "LinkedIn"
MARKERS = (r"shares\.csv", r"comments\.csv")
WANTED = MARKERS
LOOKED_FOR = "Shares.csv or Comments.csv"

_VISIBILITY = {
    "public": Audience.PUBLIC,
    "anyone": Audience.PUBLIC,
    "logged_in": Audience.PUBLIC,
    "logged_in_members": Audience.PUBLIC,
    "member_network": Audience.FRIENDS,  # your connections
    "connections": Audience.FRIENDS,
    "connections_only": Audience.FRIENDS,
    "container": Audience.PRIVATE_GROUP,
    "group": Audience.PRIVATE_GROUP,
}
_TAG = re.compile(r"(?<!\w)#(\w+)")


def clean_commentary(text: str) -> str:
    """Undo what survives normal CSV parsing: stray wrapping quotes and doubled quotes."""
    text = text.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    return text.replace('""', '"')


def parse_date(value: str) -> datetime | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%y, %I:%M %p"):
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _id(prefix: str, date: str, text: str) -> str:
    digest = hashlib.sha1(f"{date}|{text}".encode(), usedforsecurity=False)
    return f"li-{prefix}-{digest.hexdigest()[:12]}"


def read(ctx: ReadContext) -> Iterator[Post]:
    for name in ctx.find(r"shares\.csv"):
        for line, row in ctx.csv_rows(name):
            text = clean_commentary(row.get("sharecommentary", ""))
            link = row.get("sharelink", "").strip() or None
            shared = row.get("sharedurl", "").strip()
            media = 1 if row.get("mediaurl", "").strip() else 0
            if not text and not shared and not media:
                ctx.skips.add("share without text", f"{name} line {line}")
                continue
            visibility = row.get("visibility", "").strip().lower()
            yield Post(
                id=_id("share", row.get("date", ""), text + (link or "")),
                text=text,
                platform=Platform.LINKEDIN,
                audience=_VISIBILITY.get(visibility),
                kind=PostKind.POST if text else PostKind.REPOST,
                created_at=parse_date(row.get("date", "")),
                url=link,
                hashtags=_TAG.findall(text),
                media_count=media,
                source=name,
            )
    for name in ctx.find(r"comments\.csv"):
        for line, row in ctx.csv_rows(name, escapechar="\\"):
            text = clean_commentary(row.get("message", ""))
            if not text:
                ctx.skips.add("comment without text", f"{name} line {line}")
                continue
            yield Post(
                id=_id("comment", row.get("date", ""), text),
                text=text,
                platform=Platform.LINKEDIN,
                kind=PostKind.COMMENT,
                created_at=parse_date(row.get("date", "")),
                url=row.get("link", "").strip() or None,
                hashtags=_TAG.findall(text),
                source=name,
            )
