""""Who can see my post": a post's settings in, a structured, explained answer out.

Pure and typed: the answer depends only on the settings and the bundled rules
(``platforms.yaml``); every sentence comes from ``post.yaml``. Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kaleidoscope.see.rules import (
    TOPICS,
    AudienceOption,
    Certainty,
    Indexing,
    NonPublicReshare,
    Platform,
    Reach,
    Rules,
    ScreenshotAlert,
    Source,
    TagWidening,
    WebView,
    bundled_rules,
)
from kaleidoscope.see.texts import Level, Texts, bundled_texts, join_names

MAX_TAGGED = 50
MAX_HASHTAGS = 30


class SettingsError(ValueError):
    """Unusable settings (unknown platform, audience, field or value); names the field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"field '{field}': {message}")


class TagAudience(StrEnum):
    """Who a tagged person's own posts and profile reach."""

    ONLY_ME = "only_me"
    FRIENDS = "friends"
    FOLLOWERS = "followers"
    FRIENDS_OF_FRIENDS = "friends_of_friends"
    PUBLIC = "public"


class TaggedPerson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(default="", max_length=80)
    audience: TagAudience


class PostSettings(BaseModel):
    """A post and its settings. ``None`` means "not known": the answer says it depends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str
    audience: str | None = None  # an option id of the platform; None: its default
    account_private: bool | None = None
    tagged: list[TaggedPerson] = Field(default_factory=list, max_length=MAX_TAGGED)
    hashtags: list[str] = Field(default_factory=list, max_length=MAX_HASHTAGS)
    location: bool = False
    has_media: bool = False
    reshares_allowed: bool = True
    disappearing: bool = False
    search_indexing: bool | None = None

    @field_validator("hashtags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        cleaned = []
        for tag in tags:
            tag = tag.strip().lstrip("#")
            if not tag or len(tag) > 100 or any(c.isspace() for c in tag):
                raise ValueError(f"'{tag}' is not a hashtag (one word, up to 100 characters)")
            cleaned.append(tag)
        return cleaned


class AudienceId(StrEnum):
    FRIENDS = "friends"
    FRIENDS_OF_FRIENDS = "friends_of_friends"
    FOLLOWERS = "followers"
    PLATFORM = "platform"
    WEB = "web"
    SEARCH_ENGINES = "search_engines"


class Visibility(StrEnum):
    YES = "yes"
    DEPENDS = "depends"
    IF_COPIED = "if_copied"  # only through a screenshot, copy or reshare by someone else
    NO = "no"


class BoydProperty(StrEnum):
    PERSISTENCE = "persistence"
    REPLICABILITY = "replicability"
    SCALABILITY = "scalability"
    SEARCHABILITY = "searchability"


class AudienceRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    audience: AudienceId
    label: str
    visibility: Visibility
    visibility_label: str
    reason: str


class PropertyNote(BaseModel):
    model_config = ConfigDict(frozen=True)

    property: BoydProperty
    label: str
    meaning: str
    level: Level
    points: list[str]


class FactUsed(BaseModel):
    model_config = ConfigDict(frozen=True)

    topic: str
    topic_label: str
    text: str
    under_18: str | None
    certainty: Certainty
    certainty_label: str
    source: Source
    last_reviewed: date


class Exposure(BaseModel):
    """The answer: who can see the post and why, and how boyd's four properties apply."""

    model_config = ConfigDict(frozen=True)

    platform: str
    platform_name: str
    audience: str
    audience_label: str
    account_private: bool | None
    audiences: list[AudienceRow]
    properties: list[PropertyNote]
    still_visible: list[str]
    notes: list[str]
    facts: list[FactUsed]
    notice: str
    last_reviewed: date
    guidance: list[str]


def parse_settings(data: object, rules: Rules | None = None) -> PostSettings:
    """Validate settings from JSON or a form; SettingsError names the first bad field."""
    if not isinstance(data, Mapping):
        raise SettingsError("(top level)", "expected an object with the post's settings")
    try:
        settings = PostSettings.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "(top level)"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(where, message) from None
    _resolve(settings, rules or bundled_rules())
    return settings


def _resolve(settings: PostSettings, rules: Rules) -> tuple[Platform, AudienceOption]:
    platform = rules.get(settings.platform)
    if platform is None:
        raise SettingsError(
            "platform", f"unknown platform '{settings.platform}' (known: {', '.join(rules.ids())})"
        )
    audience = settings.audience or platform.post_audience.default
    option = platform.post_audience.option(audience) if audience else None
    if option is None:
        known = ", ".join(o.id for o in platform.post_audience.options)
        raise SettingsError(
            "audience", f"unknown audience '{audience}' for {platform.id} (known: {known})"
        )
    return platform, option


class _Answer:
    """Works out one answer for one effective reach (public, or capped by a private account)."""

    def __init__(
        self, settings: PostSettings, platform: Platform, option: AudienceOption, reach: Reach,
        texts: Texts,
    ) -> None:
        self.s = settings
        self.p = platform
        self.option = option
        self.reach = reach
        self.t = texts
        friends_label = platform.connections.friends_label or ""
        self.values: dict[str, object] = {
            "platform": platform.name,
            "audience": option.label,
            "friends": friends_label,
            "setting": platform.private_account.setting or "",
            "search_setting": platform.search_engines.user_setting or "",
        }
        self.widening = self._tag_widening()

    # -- helpers ---------------------------------------------------------------------
    def text(self, key: str, **extra: object) -> str:
        return self.t.get(key, **{**self.values, **extra})

    def names(self, people: list[TaggedPerson]) -> str:
        unnamed = self.t.get("words.someone")
        return join_names([p.name or unnamed for p in people], self.t.get("words.and"))

    def _tag_widening(self) -> list[TaggedPerson]:
        """Tagged people whose friends the platform adds to the audience."""
        if self.p.tagging.widens is not TagWidening.TAGGED_PERSONS_FRIENDS:
            return []
        if self.reach not in (Reach.FRIENDS, Reach.FRIENDS_OF_FRIENDS):
            return []
        return [t for t in self.s.tagged if t.audience is not TagAudience.ONLY_ME]

    def row(self, audience: AudienceId, visibility: Visibility, reason: str) -> AudienceRow:
        label = self.text(f"audiences.{audience.value}")
        return AudienceRow(
            audience=audience,
            label=label,
            visibility=visibility,
            visibility_label=self.t.get(f"visibility.{visibility.value}"),
            reason=reason,
        )

    def in_audience(self) -> str:
        return self.text(f"reasons.in_audience.{self.reach.value}")

    def outside(self, audience: AudienceId) -> AudienceRow:
        """A group the chosen audience leaves out: reachable only through copies."""
        if self.reach is Reach.ONLY_ME:
            return self.row(audience, Visibility.NO, self.text("reasons.only_me"))
        key = {
            NonPublicReshare.BLOCKED: "reasons.copy_blocked",
            NonPublicReshare.SAME_AUDIENCE: "reasons.copy_same_audience",
            NonPublicReshare.VARIES: "reasons.copy_varies",
        }[self.p.resharing.non_public]
        return self.row(audience, Visibility.IF_COPIED, self.text(key))

    # -- rows ------------------------------------------------------------------------
    def rows(self) -> list[AudienceRow]:
        rows: list[AudienceRow] = []
        if self.p.connections.friends_label:
            rows.append(self.friends_row())
            rows.append(self.friends_of_friends_row())
        if self.p.connections.followers:
            rows.append(self.followers_row())
        rows.append(self.platform_row())
        rows.append(self.web_row())
        rows.append(self.search_row())
        return rows

    def friends_row(self) -> AudienceRow:
        a = AudienceId.FRIENDS
        if self.reach in (Reach.FRIENDS, Reach.FRIENDS_OF_FRIENDS, Reach.PUBLIC):
            return self.row(a, Visibility.YES, self.in_audience())
        if self.reach is Reach.FOLLOWERS:
            return self.row(a, Visibility.YES, self.text("reasons.friends_follow"))
        if self.reach is Reach.SPECIFIC:
            return self.row(a, Visibility.DEPENDS, self.text("reasons.specific"))
        return self.outside(a)

    def friends_of_friends_row(self) -> AudienceRow:
        a = AudienceId.FRIENDS_OF_FRIENDS
        if self.reach in (Reach.FRIENDS_OF_FRIENDS, Reach.PUBLIC):
            return self.row(a, Visibility.YES, self.in_audience())
        if self.widening:
            key = "reasons.tag_widens_public" if any(
                t.audience is TagAudience.PUBLIC for t in self.widening
            ) else "reasons.tag_widens"
            return self.row(a, Visibility.YES, self.text(key, names=self.names(self.widening)))
        if self.reach is Reach.SPECIFIC and self.s.tagged and (
            self.p.tagging.widens is TagWidening.TAGGED_PERSONS_FRIENDS
        ):
            return self.row(a, Visibility.DEPENDS, self.text("reasons.tag_custom"))
        return self.outside(a)

    def followers_row(self) -> AudienceRow:
        a = AudienceId.FOLLOWERS
        if self.reach in (Reach.FOLLOWERS, Reach.PUBLIC):
            return self.row(a, Visibility.YES, self.in_audience())
        if self.reach in (Reach.FRIENDS, Reach.FRIENDS_OF_FRIENDS):
            return self.row(a, Visibility.DEPENDS, self.text("reasons.followers_if_friends"))
        if self.reach is Reach.SPECIFIC:
            return self.row(a, Visibility.DEPENDS, self.text("reasons.specific"))
        return self.outside(a)

    def platform_row(self) -> AudienceRow:
        a = AudienceId.PLATFORM
        if self.reach is not Reach.PUBLIC:
            return self.outside(a)
        if not self.option.listed:
            return self.row(a, Visibility.YES, self.text("reasons.unlisted"))
        if self.s.hashtags and self.p.discovery.hashtag_pages:
            tags = join_names(["#" + h for h in self.s.hashtags], self.t.get("words.and"))
            return self.row(a, Visibility.YES, self.text("reasons.public_hashtags", tags=tags))
        if self.p.discovery.recommendations:
            return self.row(a, Visibility.YES, self.text("reasons.public_recommended"))
        return self.row(a, Visibility.YES, self.text("reasons.public"))

    def web_row(self) -> AudienceRow:
        a = AudienceId.WEB
        if self.reach is not Reach.PUBLIC:
            return self.outside(a)
        view = self.p.search_engines.web_view
        if view is WebView.YES:
            return self.row(a, Visibility.YES, self.text("reasons.web_yes"))
        if view is WebView.LIMITED:
            return self.row(a, Visibility.YES, self.text("reasons.web_limited"))
        return self.row(a, Visibility.DEPENDS, self.text("reasons.web_varies"))

    def search_row(self) -> AudienceRow:
        a = AudienceId.SEARCH_ENGINES
        if self.reach is not Reach.PUBLIC:
            return self.outside(a)
        if not self.option.listed:
            return self.row(a, Visibility.DEPENDS, self.text("reasons.search_unlisted"))
        opted_out = self.s.search_indexing is False
        has_setting = bool(self.p.search_engines.user_setting)
        indexing = self.p.search_engines.public_posts
        if indexing is Indexing.YES:
            if opted_out and has_setting:
                return self.row(a, Visibility.DEPENDS, self.text("reasons.search_profile_only"))
            return self.row(a, Visibility.YES, self.text("reasons.search_yes"))
        if indexing is Indexing.OPTIONAL:
            if self.s.search_indexing is True:
                return self.row(a, Visibility.YES, self.text("reasons.search_opted_in"))
            if opted_out:
                return self.row(a, Visibility.IF_COPIED, self.text("reasons.search_opted_out"))
            return self.row(a, Visibility.DEPENDS, self.text("reasons.search_optional"))
        if indexing is Indexing.NO:
            return self.row(a, Visibility.IF_COPIED, self.text("reasons.search_no"))
        return self.row(a, Visibility.DEPENDS, self.text("reasons.search_varies"))

    # -- boyd's four properties ------------------------------------------------------
    def properties(self, rows: list[AudienceRow]) -> list[PropertyNote]:
        search_yes = any(
            r.audience is AudienceId.SEARCH_ENGINES and r.visibility is Visibility.YES
            for r in rows
        )
        public = self.reach is Reach.PUBLIC
        listed_public = public and self.option.listed
        s, p = self.s, self.p

        persistence = [self.text("boyd.persistence.base")]
        if s.disappearing:
            persistence.append(self.text("boyd.persistence.disappearing"))
        if p.resharing.federated:
            persistence.append(self.text("boyd.persistence.federated"))
        if public:
            persistence.append(self.text("boyd.persistence.archives"))
        persistence.append(self.text("boyd.persistence.account_data"))

        alert = p.resharing.screenshot_alerts
        replicability = [
            self.text(
                "boyd.replicability.alerts" if alert is ScreenshotAlert.SOME
                else "boyd.replicability.base"
            )
        ]
        if s.has_media:
            replicability.append(self.text("boyd.replicability.media"))
        if public and p.resharing.native_reshare:
            replicability.append(self.text(
                "boyd.replicability.share_button" if s.reshares_allowed
                else "boyd.replicability.sharing_off"
            ))
        elif not public and self.reach is not Reach.ONLY_ME:
            replicability.append(self.text(
                "boyd.replicability.button_varies" if p.resharing.non_public
                is NonPublicReshare.VARIES else "boyd.replicability.no_button_needed"
            ))

        scalability: list[str] = []
        if public:
            scalability.append(self.text("boyd.scalability.public"))
            if p.discovery.recommendations and self.option.listed:
                scalability.append(self.text("boyd.scalability.recommended"))
        if self.widening:
            scalability.append(
                self.text("boyd.scalability.tag_widens", names=self.names(self.widening))
            )
        if not public:
            scalability.append(self.text("boyd.scalability.narrow"))

        searchability: list[str] = []
        if s.hashtags:
            tags = join_names(["#" + h for h in s.hashtags], self.t.get("words.and"))
            key = "public_hashtags" if listed_public and p.discovery.hashtag_pages else "hashtags"
            searchability.append(self.text(f"boyd.searchability.{key}", tags=tags))
        if s.location:
            key = "location_page" if listed_public and p.discovery.location_pages else "location"
            searchability.append(self.text(f"boyd.searchability.{key}"))
        if search_yes:
            searchability.append(self.text("boyd.searchability.search_engines"))
        if s.tagged:
            searchability.append(
                self.text("boyd.searchability.tags", names=self.names(list(s.tagged)))
            )
        if s.has_media and public:
            searchability.append(self.text("boyd.searchability.faces"))
        if not searchability:
            searchability.append(self.text(
                "boyd.searchability.public_plain" if public else "boyd.searchability.narrow"
            ))

        levels = {
            BoydProperty.PERSISTENCE: Level.MEDIUM if s.disappearing else Level.HIGH,
            BoydProperty.REPLICABILITY: (
                Level.HIGH if s.has_media or public
                else Level.LOW if self.reach is Reach.ONLY_ME else Level.MEDIUM
            ),
            BoydProperty.SCALABILITY: (
                Level.HIGH if listed_public
                else Level.MEDIUM if public or self.widening
                or self.reach is Reach.FRIENDS_OF_FRIENDS
                else Level.LOW
            ),
            BoydProperty.SEARCHABILITY: (
                Level.HIGH if listed_public and (search_yes or s.hashtags or s.location)
                else Level.MEDIUM if public or s.tagged or s.location or s.hashtags
                else Level.LOW
            ),
        }
        points = {
            BoydProperty.PERSISTENCE: persistence,
            BoydProperty.REPLICABILITY: replicability,
            BoydProperty.SCALABILITY: scalability,
            BoydProperty.SEARCHABILITY: searchability,
        }
        return [
            PropertyNote(
                property=prop,
                label=self.t.get(f"boyd.{prop.value}.label"),
                meaning=self.t.get(f"boyd.{prop.value}.meaning"),
                level=levels[prop],
                points=points[prop],
            )
            for prop in BoydProperty
        ]

    # -- notes -----------------------------------------------------------------------
    def notes(self) -> list[str]:
        s, p = self.s, self.p
        notes: list[str] = []
        if s.tagged and self.reach is not Reach.ONLY_ME:
            notes.append(self.text("notes.tag_shows_name", names=self.names(list(s.tagged))))
            if self.reach is Reach.PUBLIC:
                hidden = [t for t in s.tagged if t.audience is not TagAudience.PUBLIC]
                if hidden:
                    notes.append(self.text("notes.tag_private_in_public", names=self.names(hidden)))
            elif p.tagging.widens is TagWidening.MENTIONED_PERSON_ONLY:
                notes.append(self.text("notes.mention_delivers"))
            elif p.tagging.widens is TagWidening.NO:
                notes.append(self.text("notes.tag_no_widen"))
            skipped = [t for t in s.tagged if t.audience is TagAudience.ONLY_ME]
            if skipped and p.tagging.widens is TagWidening.TAGGED_PERSONS_FRIENDS:
                notes.append(self.text("notes.tag_only_me", names=self.names(skipped)))
        if s.hashtags and self.reach is not Reach.PUBLIC:
            notes.append(self.text("notes.hashtag_no_widen"))
        if s.hashtags and self.reach is Reach.PUBLIC and not self.option.listed:
            notes.append(self.text("notes.hashtag_unlisted"))
        if s.location:
            notes.append(self.text("notes.location"))
        if not s.reshares_allowed:
            notes.append(self.text("notes.reshares_off"))
        if s.disappearing:
            notes.append(self.text("notes.disappearing"))
        return notes


def who_can_see(
    settings: PostSettings, rules: Rules | None = None, texts: Texts | None = None
) -> Exposure:
    """Who can see a post with these settings, why, and how boyd's properties apply."""
    rules = rules or bundled_rules()
    t = texts or bundled_texts("post.yaml")
    platform, option = _resolve(settings, rules)
    private = platform.private_account
    capped_by_private = option.reach is Reach.PUBLIC and private.limits_posts

    notes: list[str] = []
    if capped_by_private and settings.account_private is True:
        answer = _Answer(settings, platform, option, Reach.FOLLOWERS, t)
        rows = answer.rows()
        notes.append(answer.text("notes.private_caps"))
    elif capped_by_private and settings.account_private is None:
        answer = _Answer(settings, platform, option, Reach.PUBLIC, t)
        if_private = _Answer(settings, platform, option, Reach.FOLLOWERS, t)
        rows = [
            a if a.visibility == b.visibility else a.model_copy(update={
                "visibility": Visibility.DEPENDS,
                "visibility_label": t.get("visibility.depends"),
                "reason": answer.text("reasons.depends_private", public=a.reason, private=b.reason),
            })
            for a, b in zip(answer.rows(), if_private.rows(), strict=True)
        ]
        notes.append(answer.text("notes.private_unknown"))
    else:
        answer = _Answer(settings, platform, option, option.reach, t)
        rows = answer.rows()
        if settings.account_private is True and not private.exists:
            notes.append(answer.text("notes.no_private_switch"))
        elif settings.account_private is True and option.reach is Reach.PUBLIC:
            notes.append(answer.text("notes.private_not_limiting"))

    notes.extend(answer.notes())
    facts = [
        FactUsed(
            topic=topic,
            topic_label=TOPICS[topic],
            text=" ".join(fact.text.split()),
            under_18=" ".join(fact.under_18.split()) if fact.under_18 else None,
            certainty=fact.certainty,
            certainty_label=rules.certainty_labels[fact.certainty],
            source=fact.source,
            last_reviewed=fact.last_reviewed,
        )
        for topic, fact in platform.facts()
    ]
    reviewed = min(f.last_reviewed for f in facts)
    return Exposure(
        platform=platform.id,
        platform_name=platform.name,
        audience=option.id,
        audience_label=option.label,
        account_private=settings.account_private,
        audiences=rows,
        properties=answer.properties(rows),
        still_visible=rules.item_labels(private.still_visible),
        notes=notes,
        facts=facts,
        notice=" ".join(rules.notice.format(date=reviewed.isoformat()).split()),
        last_reviewed=reviewed,
        guidance=t.items("guidance"),
    )


def exposure_json(exposure: Exposure) -> dict[str, Any]:
    return exposure.model_dump(mode="json")
