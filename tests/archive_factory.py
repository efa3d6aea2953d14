"""Build real platform exports in code (zip, tar.gz, folder), quirks included.

Used by the archive tests and by bench/check_speed.py. Every builder returns the files of
an export as ``{entry name: bytes}``; ``write_zip``/``write_targz``/``write_folder`` put
them on disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import tarfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

Files = dict[str, bytes]

# --------------------------------------------------------------------------- writers


def write_zip(path: Path, files: Files) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def write_targz(path: Path, files: Files) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return path


def write_folder(path: Path, files: Files) -> Path:
    for name, data in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


# --------------------------------------------------------------------------- X / Twitter

X_DATE = "%a %b %d %H:%M:%S +0000 %Y"


@dataclass
class Tweet:
    id: str
    text: str  # as the person wrote it (the builder HTML-escapes it)
    created: datetime
    reply_to: str | None = None
    hashtags: Sequence[str] = ()
    mentions: Sequence[str] = ()
    urls: Sequence[tuple[str, str]] = ()  # (t.co, expanded)
    media: int = 0


def _x_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tweet_record(t: Tweet, *, wrapper: bool = True) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "edit_info": {"initial": {"editTweetIds": [t.id], "editableUntil": "2020-01-01"}},
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": {
            "hashtags": [{"text": h, "indices": ["0", "1"]} for h in t.hashtags],
            "symbols": [],
            "user_mentions": [
                {"name": m.title(), "screen_name": m, "indices": ["0", "1"], "id_str": "1",
                 "id": "1"} for m in t.mentions
            ],
            "urls": [
                {"url": short, "expanded_url": full, "display_url": full[8:30],
                 "indices": ["0", "1"]} for short, full in t.urls
            ],
        },
        "display_text_range": ["0", str(len(t.text))],
        "favorite_count": "0",
        "id_str": t.id,
        "truncated": False,
        "retweet_count": "0",
        "id": t.id,
        "created_at": t.created.strftime(X_DATE),
        "favorited": False,
        "full_text": _x_escape(t.text),
        "lang": "en",
    }
    if t.reply_to:
        tweet["in_reply_to_screen_name"] = t.reply_to
        tweet["in_reply_to_status_id_str"] = "1"
    if t.media:  # X appends one t.co link for the attached media to the text
        link = f"https://t.co/m{t.id}"
        tweet["full_text"] += f" {link}"
        tweet["extended_entities"] = {"media": [
            {"type": "photo", "url": link,
             "media_url_https": f"https://pbs.twimg.com/media/{i}.jpg"}
            for i in range(t.media)
        ]}
    return {"tweet": tweet} if wrapper else tweet


def x_js(variable: str, records: list[Any], part: int = 0) -> bytes:
    body = json.dumps(records, indent=2, separators=(",", " : "), ensure_ascii=False)
    return f"window.YTD.{variable}.part{part} = {body}".encode()


def x_files(
    tweets: Sequence[Tweet],
    *,
    layout: str = "2022",
    parts: int = 1,
    notes: Sequence[tuple[datetime, str]] = (),
    deleted: Sequence[Tweet] = (),
    username: str = "sw_practitioner",
    manifest: bool = True,
) -> Files:
    """An X archive: layout "2022" (data/tweets.js) or "2019" (tweet.js, no data/)."""
    prefix, base = ("data/", "tweets") if layout == "2022" else ("", "tweet")
    files: Files = {}
    chunks = [list(tweets[i::parts]) for i in range(parts)]  # parts hold no date order
    names: list[str] = []
    for index, chunk in enumerate(chunks):
        name = f"{prefix}{base}.js" if index == 0 else f"{prefix}{base}-part{index}.js"
        files[name] = x_js(base, [tweet_record(t) for t in chunk], index)
        names.append(name)
    files[f"{prefix}account.js"] = x_js("account", [{"account": {
        "username": username, "accountDisplayName": "A Practitioner",
        "createdAt": "2015-01-01T00:00:00.000Z"}}])
    if notes:
        files[f"{prefix}note-tweet.js"] = x_js("note_tweet", [
            {"noteTweet": {"noteTweetId": str(9000 + i), "createdAt":
                           created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                           "core": {"text": text, "urls": [], "mentions": [], "hashtags": []}}}
            for i, (created, text) in enumerate(notes)])
    if deleted:
        files[f"{prefix}deleted-tweets.js"] = x_js(
            "deleted_tweets", [tweet_record(t) for t in deleted])
    if manifest and layout == "2022":
        config = {"userInfo": {"userName": username}, "dataTypes": {
            "tweets": {"files": [{"fileName": n, "globalName": "YTD.tweets.part0",
                                  "count": "1"} for n in names]}}}
        files["data/manifest.js"] = f"window.__THAR_CONFIG = {json.dumps(config)}".encode()
    return files


GRAILBIRD_NEW = ["tweet_id", "in_reply_to_status_id", "in_reply_to_user_id", "timestamp",
                 "source", "text", "retweeted_status_id", "retweeted_status_user_id",
                 "retweeted_status_timestamp", "expanded_urls"]
GRAILBIRD_OLD = ["tweet_id", "in_reply_to_status_id", "in_reply_to_user_id",
                 "retweeted_status_id", "retweeted_status_user_id", "retweeted_status_timestamp",
                 "timestamp", "source", "text", "expanded_urls"]


def grailbird_csv(tweets: Sequence[Tweet], *, columns: Sequence[str] = GRAILBIRD_NEW,
                  retweet_ids: Iterable[str] = ()) -> bytes:
    import csv

    retweets = set(retweet_ids)
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(columns)
    for t in tweets:
        row = {"tweet_id": t.id, "in_reply_to_status_id": "5" if t.reply_to else "",
               "in_reply_to_user_id": "", "timestamp": t.created.strftime(
                   "%Y-%m-%d %H:%M:%S +0000"), "source": "web", "text": _x_escape(t.text),
               "retweeted_status_id": "77" if t.id in retweets else "",
               "retweeted_status_user_id": "", "retweeted_status_timestamp": "",
               "expanded_urls": ""}
        writer.writerow([row[c] for c in columns])
    return out.getvalue().encode()


# --------------------------------------------------------------------------- Meta (FB, IG)


def meta_json(value: Any) -> bytes:
    """JSON the way Meta writes it: every UTF-8 byte as its own \\u00XX escape."""

    def mangle(v: Any) -> Any:
        if isinstance(v, str):
            return v.encode("utf-8").decode("latin-1")
        if isinstance(v, list):
            return [mangle(x) for x in v]
        if isinstance(v, dict):
            return {mangle(k): mangle(x) for k, x in v.items()}
        return v

    return json.dumps(mangle(value), indent=2, ensure_ascii=True).encode()


FB_LAYOUTS = {
    "2024": ("your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_{n}.json",
             "your_facebook_activity/comments_and_reactions/comments.json",
             "your_facebook_activity/groups/"),
    "2022": ("your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_{n}"
             ".json", "your_activity_across_facebook/comments_and_reactions/comments.json",
             "your_activity_across_facebook/groups/"),
    "old": ("posts/your_posts_{n}.json", "comments/comments.json", "groups/"),
}


def fb_post(ts: int, text: str | None = None, *, caption: str | None = None,
            place: str | None = None, link: str | None = None,
            tags: Sequence[str] = ()) -> dict[str, Any]:
    entry: dict[str, Any] = {"timestamp": ts, "title": "A Practitioner updated her status.",
                             "data": [{"update_timestamp": ts}]}
    if text is not None:
        entry["data"].insert(0, {"post": text})
    attachments: list[dict[str, Any]] = []
    if caption is not None:
        attachments.append({"data": [{"media": {"uri": "photos/1.jpg",
                                                "creation_timestamp": ts,
                                                "description": caption}}]})
    if place is not None:
        attachments.append({"data": [{"place": {"name": place, "coordinate":
                                                {"latitude": 53.4, "longitude": -2.2},
                                                "address": ""}}]})
    if link is not None:
        attachments.append({"data": [{"external_context": {"url": link}}]})
    if attachments:
        entry["attachments"] = attachments
    if tags:
        entry["tags"] = [{"name": t} for t in tags]
    return entry


def fb_comment(ts: int, text: str, *, group: str | None = None) -> dict[str, Any]:
    comment: dict[str, Any] = {"timestamp": ts, "comment": text, "author": "A Practitioner"}
    if group:
        comment["group"] = group
    return {"timestamp": ts, "title": "A Practitioner commented on a post.",
            "data": [{"comment": comment}]}


def facebook_files(posts: Sequence[Sequence[dict[str, Any]]], comments: Sequence[dict[str, Any]]
                   = (), *, layout: str = "2024", group_posts: Sequence[dict[str, Any]] = (),
                   group_comments: Sequence[dict[str, Any]] = ()) -> Files:
    """``posts`` is a list of files (each a list of entries): _1.json, _2.json ..."""
    post_pattern, comments_name, groups = FB_LAYOUTS[layout]
    files: Files = {}
    for n, entries in enumerate(posts, 1):
        files[post_pattern.format(n=n)] = meta_json(list(entries))
    if comments:
        files[comments_name] = meta_json({"comments_v2": list(comments)})
    if group_posts:
        files[groups + "group_posts_and_comments.json"] = meta_json(
            {"group_posts_v2": list(group_posts)})
    if group_comments:
        files[groups + "your_comments_in_groups.json"] = meta_json(
            {"group_comments_v2": list(group_comments)})
    files["your_facebook_activity/profile_information/profile_information.json"] = meta_json(
        {"profile_v2": {"name": {"full_name": "A Practitioner"}}})
    return files


def ig_post(ts: int, caption: str, *, photos: int = 1, caption_in_media: bool = False
            ) -> dict[str, Any]:
    media = [{"uri": f"media/posts/{ts}_{i}.jpg", "creation_timestamp": ts,
              "title": caption if caption_in_media and i == 0 else ""} for i in range(photos)]
    entry: dict[str, Any] = {"media": media}
    if not caption_in_media:
        entry["title"] = caption
        entry["creation_timestamp"] = ts
    return entry


def ig_comment(ts: int, text: str, owner: str = "someone") -> dict[str, Any]:
    return {"string_map_data": {"Comment": {"value": text}, "Media Owner": {"value": owner},
                                "Time": {"timestamp": ts}}}


def instagram_files(posts: Sequence[dict[str, Any]], comments: Sequence[dict[str, Any]] = (),
                    threads: Sequence[tuple[int, str]] = (), *, folder: str = "content"
                    ) -> Files:
    root = "your_instagram_activity/"
    files: Files = {f"{root}{folder}/posts_1.json": meta_json(list(posts))}
    if comments:
        files[f"{root}comments/post_comments_1.json"] = meta_json(list(comments))
    if threads:
        files[f"{root}threads/threads_and_replies.json"] = meta_json({
            "text_post_app_text_posts": [{"title": text, "creation_timestamp": ts}
                                         for ts, text in threads]})
    return files


# --------------------------------------------------------------------------- Mastodon

AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR = "https://social.example/users/practitioner"


def toot(n: int, html: str, *, audience: str = "public", published: str = "2023-03-01T10:00:00Z",
         summary: str | None = None, reply_to: str | None = None,
         hashtags: Sequence[str] = (), alt: Sequence[str] = ()) -> dict[str, Any]:
    to, cc = {
        "public": ([AS_PUBLIC], [ACTOR + "/followers"]),
        "unlisted": ([ACTOR + "/followers"], [AS_PUBLIC]),
        "followers": ([ACTOR + "/followers"], []),
        "direct": (["https://other.example/users/friend"], []),
    }[audience]
    note: dict[str, Any] = {
        "id": f"{ACTOR}/statuses/{n}", "type": "Note", "summary": summary,
        "inReplyTo": reply_to, "published": published,
        "url": f"https://social.example/@practitioner/{n}", "attributedTo": ACTOR,
        "to": to, "cc": cc, "sensitive": summary is not None, "content": html,
        "attachment": [{"type": "Document", "mediaType": "image/jpeg",
                        "url": f"/media/{n}.jpg", "name": a} for a in alt],
        "tag": [{"type": "Hashtag", "href": f"https://social.example/tags/{h}",
                 "name": f"#{h}"} for h in hashtags],
    }
    return {"id": f"{ACTOR}/statuses/{n}/activity", "type": "Create", "actor": ACTOR,
            "published": published, "to": to, "cc": cc, "object": note}


def boost(n: int, url: str) -> dict[str, Any]:
    return {"id": f"{ACTOR}/statuses/{n}/activity", "type": "Announce", "actor": ACTOR,
            "published": "2023-03-02T10:00:00Z", "to": [AS_PUBLIC], "cc": [], "object": url}


def mastodon_files(items: Sequence[dict[str, Any]]) -> Files:
    outbox = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json",
              "type": "OrderedCollection", "totalItems": len(items), "orderedItems": list(items)}
    actor = {"id": ACTOR, "type": "Person", "preferredUsername": "practitioner",
             "followers": ACTOR + "/followers", "outbox": "outbox.json"}
    return {"outbox.json": json.dumps(outbox).encode(), "actor.json": json.dumps(actor).encode(),
            "likes.json": b'{"orderedItems": []}'}


# --------------------------------------------------------------------------- Bluesky


class Link(bytes):
    """A CID used as a link inside DAG-CBOR (tag 42)."""


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for size, code, fmt in ((0xFF, 24, ">B"), (0xFFFF, 25, ">H"), (0xFFFFFFFF, 26, ">I")):
        if n <= size:
            return bytes([major << 5 | code]) + struct.pack(fmt, n)
    return bytes([major << 5 | 27]) + struct.pack(">Q", n)


def dag_cbor(value: Any) -> bytes:
    """A small DAG-CBOR encoder (canonical map key order), enough for repo blocks."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, Link):
        payload = b"\x00" + bytes(value)
        return b"\xd8\x2a" + _head(2, len(payload)) + payload
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode()
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(dag_cbor(v) for v in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(dag_cbor(k) + dag_cbor(value[k]) for k in keys)
    raise TypeError(type(value))


def cid_for(block: bytes) -> Link:
    return Link(bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(block).digest())


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def bluesky_car(records: Sequence[tuple[str, dict[str, Any]]], *, did: str = "did:plc:abc123"
                ) -> bytes:
    """repo.car with a commit, a two-level Merkle search tree and the records.

    ``records``: (``collection/rkey``, record) pairs.
    """
    blocks: list[bytes] = []

    def put(value: Any) -> Link:
        data = dag_cbor(value)
        blocks.append(data)
        return cid_for(data)

    items = sorted((key, put(record)) for key, record in records)

    def node(entries: list[tuple[str, Link]], left: Link | None = None,
             subtrees: dict[int, Link] | None = None) -> Link:
        encoded, previous = [], b""
        for i, (key, cid) in enumerate(entries):
            k = key.encode()
            prefix = 0
            while prefix < min(len(k), len(previous)) and k[prefix] == previous[prefix]:
                prefix += 1
            encoded.append({"p": prefix, "k": k[prefix:], "v": cid,
                            "t": (subtrees or {}).get(i)})
            previous = k
        return put({"l": left, "e": encoded})

    third = max(len(items) // 3, 1)
    left = node(items[:third]) if len(items) > 2 else None
    middle = items[third:third + 1] if len(items) > 2 else items
    right = node(items[third + 1:]) if len(items) > 2 else None
    root = node(middle, left, {0: right} if right else None)
    commit = put({"did": did, "version": 3, "data": root, "rev": "3kabc", "prev": None,
                  "sig": b"\x00" * 64})
    header = dag_cbor({"roots": [commit], "version": 1})
    out = bytearray(_varint(len(header)) + header)
    for data in [blocks[-1], *blocks[:-1]]:  # commit first, like the PDS writes it
        cid = bytes(cid_for(data))
        out += _varint(len(cid) + len(data)) + cid + data
    return bytes(out)


def bsky_post(text: str, created: str = "2024-05-01T09:00:00.000Z", *,
              tags: Sequence[str] = (), mentions: Sequence[tuple[str, str]] = (),
              reply: bool = False, images: Sequence[str] = ()) -> dict[str, Any]:
    """A post; facets carry UTF-8 BYTE offsets of each #tag and @handle in ``text``."""
    data = text.encode()
    facets = []
    for tag in tags:
        start = data.index(f"#{tag}".encode())
        facets.append({"index": {"byteStart": start, "byteEnd": start + len(tag.encode()) + 1},
                       "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}]})
    for handle, did in mentions:
        start = data.index(f"@{handle}".encode())
        facets.append({"index": {"byteStart": start, "byteEnd": start + len(handle) + 1},
                       "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}]})
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": created,
                              "langs": ["en"]}
    if facets:
        record["facets"] = facets
    if reply:
        ref = {"uri": "at://did:plc:other/app.bsky.feed.post/3kzzz", "cid": "bafyrei"}
        record["reply"] = {"root": ref, "parent": ref}
    if images:
        record["embed"] = {"$type": "app.bsky.embed.images", "images": [
            {"alt": alt, "image": {"$type": "blob", "ref": cid_for(alt.encode()),
                                   "mimeType": "image/jpeg", "size": 1000}} for alt in images]}
    return record


# --------------------------------------------------------------------------- realistic text

_SAFE = [
    "Great training day on {topic} with the team, lots to think about #socialwork",
    "Reading the new guidance on {topic}. Worth your time if you work in {field}.",
    "Proud of our students presenting on {topic} at the conference in {city} today",
    "Cuts to {field} will cost more later. Write to your MP.",
    "Lovely walk by the river this morning before a busy week",
    "My son's birthday today, cannot believe he is {age} already",
    "Anyone got reading recommendations on {topic}? Building a list for new starters.",
    "Reflective supervision really helped this week. Look after yourselves, colleagues.",
    "Thread on {topic} and why relationship-based practice matters (1/4)",
    "Congratulations to everyone qualifying this summer, the profession needs you",
]
_RISKY = [
    "Home visit to a {age}yo girl at {school} today, mum's new boyfriend was there again",
    "Court again for the {surname} family, {age} year old twins, third placement breakdown",
    "Absolutely hanging after last night, no idea how I'm doing {day} visits #hungover",
    "My manager at {council} is useless, third disciplinary this month on our team",
    "Case conference for J{initial} from the {estate} estate tomorrow, wish me luck",
    "Another junkie mum on my caseload who can't get her act together",
    "Had a nosey at dad's Facebook after the visit, he's been lying about the job",
    "Client added me on Facebook, accepted it, he seems nice outside of work to be honest",
    "Screenshot of the referral below, can you believe what this family wrote #childprotection",
]
_FILL = {
    "topic": ["trauma-informed practice", "contextual safeguarding", "kinship care",
              "the Care Act", "supervision", "direct work with teenagers",
              "poverty-aware practice"],
    "field": ["youth services", "adult social care", "mental health", "fostering"],
    "city": ["Leeds", "Cardiff", "Glasgow", "Belfast", "Bristol"],
    "age": ["7", "9", "12", "14", "15", "16"],
    "school": ["St Anne's Academy", "Hillside Primary", "Marsh Lane High"],
    "surname": ["Kowalski", "Brennan", "Okafor", "Hughes"],
    "day": ["Monday", "Friday", "Tuesday"],
    "council": ["Eastvale Council", "the north team", "Westshire CC"],
    "initial": ["B", "K", "T", "M"],
    "estate": ["Northfield", "Parkside", "Meadow"],
}


def sample_texts(n: int, *, seed: int = 1, risky_share: float = 0.2) -> Iterator[str]:
    """A realistic mix of practitioner posts (most safe, some risky), with variety."""
    rng = random.Random(seed)
    for i in range(n):
        template = rng.choice(_RISKY if rng.random() < risky_share else _SAFE)
        text = template.format(**{k: rng.choice(v) for k, v in _FILL.items()})
        if rng.random() < 0.3:
            emoji = rng.choice(["🙏", "😂", "💪", ""])
            text += f" {emoji} #{rng.choice(['sw', 'practice'])}{i % 97}"
        yield text


def write_big_x_archive(
    path: Path, n: int, *, seed: int = 7, parts: int = 2, texts: Iterable[str] | None = None
) -> Path:
    """A zip X archive of ``n`` tweets in ``parts`` files, written as a stream; the tweets'
    texts come from ``texts`` (at least ``n`` of them), else from `sample_texts`."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    texts = iter(texts) if texts is not None else sample_texts(n, seed=seed)
    per_part = -(-n // parts)
    names = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        written = 0
        for part in range(parts):
            name = "data/tweets.js" if part == 0 else f"data/tweets-part{part}.js"
            names.append(name)
            with zf.open(name, "w", force_zip64=True) as out:
                out.write(f"window.YTD.tweets.part{part} = [ ".encode())
                for i in range(min(per_part, n - written)):
                    k = written + i
                    text = next(texts)
                    if rng.random() < 0.1:
                        text = f"RT @colleague{k % 50}: {text}"[:140]
                    t = Tweet(id=str(10**17 + k), text=text,
                              created=start + timedelta(minutes=47 * k),
                              reply_to="someone" if rng.random() < 0.15 else None,
                              hashtags=[w[1:] for w in text.split() if w.startswith("#")],
                              media=1 if rng.random() < 0.1 else 0)
                    prefix = b"" if i == 0 else b", "
                    out.write(prefix + json.dumps(tweet_record(t), indent=2,
                                                  separators=(",", " : ")).encode())
                out.write(b" ]")
                written += min(per_part, n - written)
        zf.writestr("data/account.js", x_js("account", [{"account": {"username": "bench"}}]))
        zf.writestr("data/manifest.js", "window.__THAR_CONFIG = " + json.dumps(
            {"dataTypes": {"tweets": {"files": [{"fileName": n} for n in names]}}}))
    return path


@dataclass
class Built:
    """A helper for tests: where an archive was written and what went in."""

    path: Path
    files: Files = field(default_factory=dict)


# --------------------------------------------------------------------------- hostile kit
# Crafted uploads for the safety tests and bench/hostile_uploads.py (issue 14).


def write_many_entries_zip(path: Path, n: int, *, prefix: str = "data/f") -> Path:
    """A valid zip of ``n`` empty stored entries, written with struct (fast for millions):
    1.2 million entries make about 106 MB. The entry count in the end record is capped at
    65535 as in a zip without zip64 records; the central directory holds them all."""
    central = bytearray()
    with path.open("wb", buffering=1 << 20) as fh:
        offset = 0
        for i in range(n):
            name = f"{prefix}{i}".encode()
            local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 10, 0, 0, 0, 0x21, 0, 0, 0,
                                len(name), 0) + name
            fh.write(local)
            central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 10, 0, 0, 0, 0x21, 0, 0,
                                   0, len(name), 0, 0, 0, 0, 0, offset) + name
            offset += len(local)
        fh.write(central)
        count = min(n, 0xFFFF)
        fh.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central),
                             min(offset, 0xFFFFFFFF), 0))
    return path


def big_record_x_zip(path: Path, mib: int = 32, *, one_string: bool = False) -> Path:
    """An X archive whose tweets.js holds one record of ``mib`` MiB (many small strings,
    or one long one) between two ordinary tweets."""
    t0 = datetime(2021, 3, 1, tzinfo=UTC)
    first = json.dumps(tweet_record(Tweet("1", "before the big one", t0)))
    last = json.dumps(tweet_record(Tweet("3", "after the big one", t0)))
    if one_string:
        letters = bytes(range(97, 123)) * 10
        table = bytes(letters[i % len(letters)] for i in range(256))
        pad = b'"' + random.Random(5).randbytes(mib << 20).translate(table) + b'"'
    else:
        item = b'"abcdefghijklmnopqrstuvwxyz012345",'
        pad = b"[" + item * ((mib << 20) // len(item)) + b'"end"]'
    big = b'{"tweet": {"id_str": "2", "full_text": "big", "created_at": "Mon Mar 01 00:00:00 '
    big += b'+0000 2021", "pad": ' + pad + b"}}"
    body = b"window.YTD.tweets.part0 = [" + first.encode() + b",\n" + big + b",\n"
    body += last.encode() + b"]"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("data/tweets.js", body)
    return path


def deep_record_x_files(depth: int = 100_000) -> Files:
    """tweets.js whose second record is nested ``depth`` levels deep."""
    t0 = datetime(2021, 3, 1, tzinfo=UTC)
    first = json.dumps(tweet_record(Tweet("1", "before the deep one", t0))).encode()
    last = json.dumps(tweet_record(Tweet("3", "after the deep one", t0))).encode()
    deep = b'{"tweet": {"id_str": "2", "full_text": "deep", "x": ' + b"[" * depth
    deep += b"]" * depth + b"}}"
    return {"data/tweets.js": b"window.YTD.tweets.part0 = [" + first + b"," + deep + b","
            + last + b"]"}


def lone_surrogate_facebook_files() -> Files:
    """A Facebook export whose second post holds a lone surrogate escape ("\\ud83d")."""
    posts = [fb_post(1_600_000_000, "an ordinary day"),
             fb_post(1_600_000_100, "BROKEN"),
             fb_post(1_600_000_200, "another ordinary day")]
    files = facebook_files([posts], [])
    for name, data in files.items():
        files[name] = data.replace(b"BROKEN", b"half an emoji \\ud83d here")
    return files


def ratio_bomb_targz(path: Path, mib: int = 1024) -> Path:
    """A Mastodon-looking tar.gz whose media entry is ``mib`` MiB of zeros (~1000:1)."""
    outbox = mastodon_files([toot(1, "<p>hi</p>")])
    with tarfile.open(path, "w:gz") as tar:
        for name, data in outbox.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("media_attachments/files/000/000/001/original/zero.png")
        info.size = mib << 20

        class Zeros(io.RawIOBase):
            left = info.size

            def readable(self) -> bool:
                return True

            def readinto(self, b: Any) -> int:
                n = min(len(b), self.left)
                b[:n] = bytes(n)
                self.left -= n
                return n

        tar.addfile(info, io.BufferedReader(Zeros()))
    return path


def realistic_mastodon_targz(path: Path, toots: int = 6000, media: int = 20) -> Path:
    """A pre-2023 Mastodon export as the server wrote it: outbox.json FIRST, then
    actor.json, likes, bookmarks and media (incompressible). outbox.json compresses about
    10:1, far more than what the gzip stream has given when its header is read."""
    rng = random.Random(3)
    texts = sample_texts(toots, seed=3)
    items = [toot(i, f"<p>{next(texts)}</p>", hashtags=["socialwork"] if i % 5 == 0 else [],
                  published=f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00Z")
             for i in range(toots)]
    files = mastodon_files(items)
    ordered: Files = {"outbox.json": files["outbox.json"], "actor.json": files["actor.json"],
                      "likes.json": files["likes.json"], "bookmarks.json": b'{"orderedItems": []}'}
    for i in range(media):
        ordered[f"media_attachments/files/109/{i:03d}/original/{i}.jpg"] = rng.randbytes(50_000)
    return write_targz(path, ordered)
