"""The shapes the checker works with: posts in, findings out.

Categories and severities are exactly those of shared/data/POSTS_LABEL_GUIDE.md.
Spans are offsets into the Python string (code points), end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Category(StrEnum):
    CONFIDENTIALITY = "confidentiality"
    BOUNDARIES = "boundaries"
    SELF_DISCLOSURE = "self_disclosure"
    EMPLOYER_CRITICISM = "employer_criticism"
    DEROGATORY = "derogatory"
    CONSENT_PRIVACY = "consent_privacy"


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def highest(cls, severities: list[Severity]) -> Severity:
        return max(severities, key=lambda s: s.rank, default=cls.NONE)


_RANK = {Severity.NONE: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class Platform(StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    THREADS = "threads"
    BLOG = "blog"


class Audience(StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    FOLLOWERS = "followers"
    FRIENDS = "friends"
    FRIENDS_OF_FRIENDS = "friends_of_friends"
    PRIVATE_GROUP = "private_group"
    DIRECT = "direct"


class PostKind(StrEnum):
    POST = "post"
    REPLY = "reply"
    COMMENT = "comment"
    REPOST = "repost"  # retweets and boosts: counted apart, not checked as the user's words


@dataclass(slots=True)
class Post:
    """One thing the person wrote (or reshared), from a draft or an archive."""

    id: str
    text: str
    platform: Platform | None = None
    audience: Audience | None = None
    kind: PostKind = PostKind.POST
    created_at: datetime | None = None
    url: str | None = None
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    media_count: int = 0
    location: str | None = None
    source: str | None = None  # file inside the archive it came from


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    quote: str


@dataclass(slots=True)
class Finding:
    category: Category
    severity: Severity
    spans: list[Span]
    why: str
    guidance: list[str] = field(default_factory=list)
    rewrite: str | None = None


@dataclass(slots=True)
class Result:
    post: Post
    findings: list[Finding]
    amplifiers: list[str] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return Severity.highest([f.severity for f in self.findings])

    @property
    def labels(self) -> list[str]:
        seen: list[str] = []
        for finding in self.findings:
            if finding.category.value not in seen:
                seen.append(finding.category.value)
        return seen
