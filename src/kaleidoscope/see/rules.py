"""Audience rules of the main platforms, as data (``platforms.yaml``), with their sources.

Every fact carries a plain-English text, how sure we are of it, a source (publisher and
page, with a URL only where we are confident of it), the date it was last reviewed and
how many days it may go before it is due for review (``review_days``; ``stale_facts``
lists the overdue ones, and a test turns them into warnings with their dates).
Some facts also carry a few typed values that the "who can see my post" tool reads; the
text stays the authority for people, the values are a summary for the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SLUG = r"^[a-z][a-z0-9_]*$"


class ExposureDataError(ValueError):
    """A malformed rules or questionnaire file; the message names the file and field."""


class Certainty(StrEnum):
    CONFIRMED = "confirmed"  # said in the platform's own help pages
    GENERAL = "general"  # broadly true; details differ by country, app version or account
    VARIES = "varies"  # changes often, or depends on things we cannot see


class Reach(StrEnum):
    """The widest group an audience setting opens a post to, in platform-neutral terms."""

    ONLY_ME = "only_me"
    SPECIFIC = "specific"  # chosen people, lists, close friends, direct messages
    FRIENDS = "friends"  # two-way connections: friends, connections, mutual followers
    FOLLOWERS = "followers"  # approved or one-way followers
    FRIENDS_OF_FRIENDS = "friends_of_friends"
    PUBLIC = "public"  # anyone


class TagWidening(StrEnum):
    TAGGED_PERSONS_FRIENDS = "tagged_persons_friends"
    MENTIONED_PERSON_ONLY = "mentioned_person_only"
    NO = "no"
    VARIES = "varies"


class Indexing(StrEnum):
    YES = "yes"
    OPTIONAL = "optional"  # the account holder chooses
    NO = "no"
    VARIES = "varies"


class WebView(StrEnum):
    YES = "yes"
    LIMITED = "limited"  # visitors without an account are often asked to log in
    VARIES = "varies"


class NonPublicReshare(StrEnum):
    BLOCKED = "blocked"  # no share button for non-public posts
    SAME_AUDIENCE = "same_audience"  # a share only reaches people who could already see it
    VARIES = "varies"


class ScreenshotAlert(StrEnum):
    NONE = "none"
    SOME = "some"  # some features tell the poster; none can stop a second camera
    VARIES = "varies"


class ProfileItem(StrEnum):
    NAME = "name"
    USERNAME = "username"
    PROFILE_PICTURE = "profile_picture"
    COVER_PHOTO = "cover_photo"
    BIO = "bio"
    TOWN = "town"
    WORK_SCHOOL = "work_school"
    MUTUAL_FRIENDS = "mutual_friends"
    FOLLOWER_COUNTS = "follower_counts"
    FOLLOW_LISTS = "follow_lists"
    LINKS = "links"
    HEADLINE = "headline"
    GENDER = "gender"
    NETWORKS = "networks"  # school or workplace networks (Facebook)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    publisher: str = Field(min_length=2)
    title: str = Field(min_length=3)
    url: str | None = Field(default=None, pattern=r"^https://[^\s]+$")
    note: str | None = None

    @property
    def citation(self) -> str:
        return f"{self.publisher}, {self.title}" + (f" <{self.url}>" if self.url else "")


class Fact(BaseModel):
    """One thing we say about a platform, with its source and review date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=20)
    certainty: Certainty
    under_18: str | None = None
    source: Source
    last_reviewed: date
    review_days: int = Field(ge=7, le=730)

    def review_due(self) -> date:
        """The day after which this fact should be checked again."""
        return self.last_reviewed + timedelta(days=self.review_days)


class AudienceOption(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    label: str
    reach: Reach
    listed: bool = True  # False: public but kept out of timelines, hashtags and search
    note: str | None = None


class PostAudienceFact(Fact):
    options: list[AudienceOption] = Field(min_length=1)
    default: str | None = None

    @model_validator(mode="after")
    def _known_default(self) -> PostAudienceFact:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"audience option ids repeat: {ids}")
        if self.default is not None and self.default not in ids:
            raise ValueError(f"default '{self.default}' is not one of the options {ids}")
        return self

    def option(self, option_id: str) -> AudienceOption | None:
        return next((o for o in self.options if o.id == option_id), None)


class TaggingFact(Fact):
    widens: TagWidening


class ConnectionsFact(Fact):
    friends_label: str | None = None  # None: the platform has no two-way "friends"
    followers: bool


class SearchFact(Fact):
    public_profiles: Indexing
    public_posts: Indexing
    web_view: WebView
    user_setting: str | None = None  # the name of the account holder's own opt-out


class PrivateAccountFact(Fact):
    exists: bool
    setting: str | None = None
    limits_posts: bool = False  # True: a private account keeps every post to approved followers
    all_posts_public: bool = False  # True: no setting can keep posts from anyone (Bluesky)
    still_visible: list[ProfileItem]

    @model_validator(mode="after")
    def _consistent(self) -> PrivateAccountFact:
        if self.exists and not self.setting:
            raise ValueError("a private account setting needs its name in 'setting'")
        if self.limits_posts and not self.exists:
            raise ValueError("'limits_posts' needs 'exists: true'")
        if self.all_posts_public and self.exists:
            raise ValueError("'all_posts_public' contradicts 'exists: true'")
        return self


class ResharingFact(Fact):
    native_reshare: bool
    non_public: NonPublicReshare
    screenshot_alerts: ScreenshotAlert
    federated: bool = False  # copies live on servers run by others


class DiscoveryFact(Fact):
    hashtag_pages: bool
    location_pages: bool
    recommendations: bool  # public posts shown to strangers by a recommendation feed


class Under18Fact(Fact):
    minimum_age: int | None = Field(default=None, ge=13, le=18)


class Depth(StrEnum):
    DETAILED = "detailed"
    OUTLINE = "outline"


TOPICS: dict[str, str] = {
    "profile": "Profile visibility",
    "post_audience": "Post audience",
    "tagging": "Tagging and mentions",
    "connections": "Friends and followers lists",
    "search_engines": "Search engines and the open web",
    "private_account": "When the account is private",
    "resharing": "Reshares and screenshots",
    "discovery": "Hashtags, places and recommendations",
    "under_18": "Under-18s",
}


class Platform(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    name: str
    owner: str
    depth: Depth
    profile: Fact
    post_audience: PostAudienceFact
    tagging: TaggingFact
    connections: ConnectionsFact
    search_engines: SearchFact
    private_account: PrivateAccountFact
    resharing: ResharingFact
    discovery: DiscoveryFact
    under_18: Under18Fact

    @property
    def can_be_private(self) -> bool:
        """False where nothing the account holder sets keeps posts from the public."""
        return not self.private_account.all_posts_public

    def facts(self) -> Iterator[tuple[str, Fact]]:
        """(topic, fact) for every topic, in the order of ``TOPICS``."""
        for topic in TOPICS:
            fact = getattr(self, topic)
            assert isinstance(fact, Fact)
            yield topic, fact


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    notice: str = Field(min_length=20)
    certainty_labels: dict[Certainty, str]
    profile_item_labels: dict[ProfileItem, str]
    platforms: list[Platform] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Rules:
        ids = [p.id for p in self.platforms]
        if len(set(ids)) != len(ids):
            raise ValueError(f"platform ids repeat: {ids}")
        for enum, labels, name in (
            (Certainty, self.certainty_labels, "certainty_labels"),
            (ProfileItem, self.profile_item_labels, "profile_item_labels"),
        ):
            missing = [m.value for m in enum if m not in labels]
            if missing:
                raise ValueError(f"{name} has no label for {missing}")
        return self

    def get(self, platform_id: str) -> Platform | None:
        return next((p for p in self.platforms if p.id == platform_id), None)

    def ids(self) -> list[str]:
        return [p.id for p in self.platforms]

    @property
    def last_reviewed(self) -> date:
        """The oldest review date of any fact: the date a reader should trust least."""
        return min(f.last_reviewed for p in self.platforms for _, f in p.facts())

    def item_labels(self, items: list[ProfileItem]) -> list[str]:
        return [self.profile_item_labels[i] for i in items]


class StaleFact(BaseModel):
    """A fact past its review date."""

    model_config = ConfigDict(frozen=True)

    platform: str
    topic: str
    last_reviewed: date
    due: date

    def __str__(self) -> str:
        return (
            f"{self.platform}.{self.topic}: last reviewed {self.last_reviewed.isoformat()}, "
            f"review was due {self.due.isoformat()}"
        )


def stale_facts(rules: Rules, today: date) -> list[StaleFact]:
    """Every fact whose review is overdue on ``today``, oldest first."""
    stale = [
        StaleFact(platform=p.id, topic=topic, last_reviewed=f.last_reviewed, due=f.review_due())
        for p in rules.platforms
        for topic, f in p.facts()
        if f.review_due() < today
    ]
    return sorted(stale, key=lambda s: (s.due, s.platform, s.topic))


def describe_validation_error(exc: ValidationError, display: str) -> str:
    """One line per problem: ``file: field a.b.c: message``."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "(top level)"
        lines.append(f"{display}: field '{where}': {error['msg']}")
    return "\n".join(lines)


def read_yaml(text: str, display: str) -> Any:
    """Parse YAML, turning a syntax error into ExposureDataError naming file and line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ExposureDataError(f"{display}{where}: not valid YAML: {problem}") from None


def parse_rules(text: str, display: str = "platforms.yaml") -> Rules:
    data = read_yaml(text, display)
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        raise ExposureDataError(describe_validation_error(exc, display)) from None


def load_rules(path: Path) -> Rules:
    return parse_rules(path.read_text("utf-8"), str(path))


def bundled_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text("utf-8")


@cache
def bundled_rules() -> Rules:
    """The rules shipped with Kaleidoscope (parsed once per process)."""
    return parse_rules(bundled_text("platforms.yaml"), "exposure/platforms.yaml")


_FIELD = re.compile(r"\{([a-z_]+)\}")


def template_fields(template: str) -> set[str]:
    """The ``{name}`` placeholders in a text template."""
    return set(_FIELD.findall(template))
