"""'Who can see my post': audiences with reasons, and boyd's four properties, per post."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaleidoscope.see.post import (
    AudienceId,
    BoydProperty,
    Exposure,
    PostSettings,
    SettingsError,
    TagAudience,
    TaggedPerson,
    Visibility,
    parse_settings,
    who_can_see,
)
from kaleidoscope.see.rules import Reach, bundled_rules
from kaleidoscope.see.texts import Level


def _see(**fields: Any) -> Exposure:
    return who_can_see(parse_settings(fields))


def _row(exposure: Exposure, audience: AudienceId) -> tuple[Visibility, str]:
    row = next(r for r in exposure.audiences if r.audience is audience)
    return row.visibility, row.reason


def _level(exposure: Exposure, prop: BoydProperty) -> Level:
    return next(p.level for p in exposure.properties if p.property is prop)


def _points(exposure: Exposure, prop: BoydProperty) -> str:
    return " ".join(next(p.points for p in exposure.properties if p.property is prop))


def test_friends_only_post_tagging_a_friend_with_public_audience_reaches_their_friends() -> None:
    exposure = _see(platform="facebook", audience="friends",
                    tagged=[{"name": "Sam", "audience": "public"}])
    assert _row(exposure, AudienceId.FRIENDS)[0] is Visibility.YES
    visibility, reason = _row(exposure, AudienceId.FRIENDS_OF_FRIENDS)
    assert visibility is Visibility.YES and "tagged Sam" in reason
    for outside in (AudienceId.PLATFORM, AudienceId.WEB, AudienceId.SEARCH_ENGINES):
        visibility, reason = _row(exposure, outside)
        assert visibility is Visibility.IF_COPIED and "screenshot" in reason
    assert _level(exposure, BoydProperty.SCALABILITY) is Level.MEDIUM
    assert "Sam" in _points(exposure, BoydProperty.SCALABILITY)
    assert any("Tagging Sam shows their name" in note for note in exposure.notes)


def test_the_same_post_without_the_tag_stays_with_friends() -> None:
    exposure = _see(platform="facebook", audience="friends")
    assert _row(exposure, AudienceId.FRIENDS_OF_FRIENDS)[0] is Visibility.IF_COPIED
    assert _level(exposure, BoydProperty.SCALABILITY) is Level.LOW


def test_a_tagged_person_who_adds_nobody_does_not_widen_it() -> None:
    exposure = _see(platform="facebook", audience="friends",
                    tagged=[{"name": "Jo", "audience": "only_me"}])
    assert _row(exposure, AudienceId.FRIENDS_OF_FRIENDS)[0] is Visibility.IF_COPIED
    assert any("Jo chose not to add their friends" in note for note in exposure.notes)


def test_public_post_with_a_hashtag_is_searchable() -> None:
    exposure = _see(platform="x", audience="account", account_private=False,
                    hashtags=["#socialwork"])
    visibility, reason = _row(exposure, AudienceId.PLATFORM)
    assert visibility is Visibility.YES and "#socialwork" in reason
    assert _row(exposure, AudienceId.SEARCH_ENGINES)[0] is Visibility.YES
    assert _row(exposure, AudienceId.WEB)[0] is Visibility.YES
    assert _level(exposure, BoydProperty.SEARCHABILITY) is Level.HIGH
    assert "#socialwork" in _points(exposure, BoydProperty.SEARCHABILITY)
    assert _level(exposure, BoydProperty.SCALABILITY) is Level.HIGH


def test_private_account_caps_the_post_but_name_and_picture_stay_visible() -> None:
    exposure = _see(platform="instagram", account_private=True, hashtags=["fostering"],
                    location=True)
    assert _row(exposure, AudienceId.FOLLOWERS)[0] is Visibility.YES
    for outside in (AudienceId.PLATFORM, AudienceId.WEB, AudienceId.SEARCH_ENGINES):
        assert _row(exposure, outside)[0] is Visibility.IF_COPIED
    assert {"Name", "Profile picture", "Username", "Bio"} <= set(exposure.still_visible)
    assert any("private" in note and "approved followers" in note for note in exposure.notes)
    assert _level(exposure, BoydProperty.SEARCHABILITY) is Level.MEDIUM


def test_facebook_keeps_name_and_picture_public_whatever_the_audience() -> None:
    exposure = _see(platform="facebook", audience="only_me", account_private=True)
    assert {"Name", "Profile picture", "Cover or header photo"} <= set(exposure.still_visible)
    assert all(r.visibility is Visibility.NO for r in exposure.audiences)
    assert any("no account-wide private setting" in note for note in exposure.notes)


def test_unknown_account_privacy_gives_both_answers() -> None:
    exposure = _see(platform="tiktok", audience="everyone")
    visibility, reason = _row(exposure, AudienceId.PLATFORM)
    assert visibility is Visibility.DEPENDS
    assert reason.startswith("If the account is public:") and "If it is private:" in reason
    assert any("Say which" in note for note in exposure.notes)


def test_mastodon_locked_account_does_not_hide_public_posts() -> None:
    exposure = _see(platform="mastodon", audience="public", account_private=True,
                    search_indexing=False)
    assert _row(exposure, AudienceId.WEB)[0] is Visibility.YES
    assert _row(exposure, AudienceId.SEARCH_ENGINES)[0] is Visibility.IF_COPIED
    assert any("does not hide public posts" in note for note in exposure.notes)
    assert "other servers" in _points(exposure, BoydProperty.PERSISTENCE)


def test_mastodon_unlisted_and_mentions() -> None:
    unlisted = _see(platform="mastodon", audience="unlisted", hashtags=["news"])
    assert _row(unlisted, AudienceId.PLATFORM)[0] is Visibility.YES
    assert _row(unlisted, AudienceId.SEARCH_ENGINES)[0] is Visibility.DEPENDS
    assert any("Unlisted posts stay out of hashtag pages" in n for n in unlisted.notes)
    mention = _see(platform="mastodon", audience="followers",
                   tagged=[{"name": "Ali", "audience": "public"}])
    assert any("people you mention receive the post" in n for n in mention.notes)
    assert _row(mention, AudienceId.FOLLOWERS)[0] is Visibility.YES


def test_search_engine_setting_is_honoured_where_it_exists() -> None:
    on = _see(platform="mastodon", audience="public", search_indexing=True)
    unknown = _see(platform="mastodon", audience="public")
    assert _row(on, AudienceId.SEARCH_ENGINES)[0] is Visibility.YES
    assert _row(unknown, AudienceId.SEARCH_ENGINES)[0] is Visibility.DEPENDS
    facebook = _see(platform="facebook", audience="public", search_indexing=False)
    visibility, reason = _row(facebook, AudienceId.SEARCH_ENGINES)
    assert visibility is Visibility.DEPENDS and "search engines outside of Facebook" in reason


def test_tagging_a_child_in_a_public_post_is_flagged() -> None:
    exposure = _see(platform="instagram", account_private=False, has_media=True,
                    tagged=[{"name": "a child", "audience": "followers"}])
    assert any("never tag a child" in note for note in exposure.notes)
    assert "reverse image search" in _points(exposure, BoydProperty.SEARCHABILITY)
    assert _level(exposure, BoydProperty.REPLICABILITY) is Level.HIGH


def test_disappearing_and_reshare_settings_change_the_account_of_persistence() -> None:
    exposure = _see(platform="snapchat", audience="public", disappearing=True,
                    reshares_allowed=False)
    assert _level(exposure, BoydProperty.PERSISTENCE) is Level.MEDIUM
    assert "disappears from view" in _points(exposure, BoydProperty.PERSISTENCE)
    assert "second phone" in _points(exposure, BoydProperty.REPLICABILITY)
    assert any("removes the button, not the possibility" in n for n in exposure.notes)


def test_every_answer_says_platforms_change_and_cites_its_sources() -> None:
    exposure = _see(platform="linkedin", audience="connections")
    assert "change" in exposure.notice and "2026-11-21" in exposure.notice
    assert len(exposure.facts) == 9 and all(f.source.publisher for f in exposure.facts)
    assert "BOYD-2007" in exposure.guidance
    assert [p.property for p in exposure.properties] == list(BoydProperty)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"platform": "myspace"}, "platform"),
        ({"platform": "facebook", "audience": "everyone_ever"}, "audience"),
        ({"platform": "facebook", "tagged": [{"audience": "the world"}]}, "tagged.0.audience"),
        ({"platform": "facebook", "hashtags": ["two words"]}, "hashtags"),
        ({"platform": "facebook", "colour": "red"}, "colour"),
        ({"audience": "friends"}, "platform"),
        ({"platform": "x", "location": "maybe"}, "location"),
        (["facebook"], "(top level)"),
    ],
)
def test_bad_settings_name_the_field(data: Any, field: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings(data)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"field '{field}'")


def test_who_can_see_checks_platform_and_audience_itself() -> None:
    with pytest.raises(SettingsError, match="known: facebook, instagram"):
        who_can_see(PostSettings(platform="orkut"))


_RULES = bundled_rules()
_CHOICES = [(p.id, o.id) for p in _RULES.platforms for o in p.post_audience.options]


@settings(max_examples=150, deadline=None)
@given(
    choice=st.sampled_from(_CHOICES),
    private=st.sampled_from([None, True, False]),
    tagged=st.lists(st.sampled_from(list(TagAudience)), max_size=2),
    hashtags=st.lists(st.sampled_from(["a", "b1"]), max_size=2, unique=True),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    indexing=st.sampled_from([None, True, False]),
)
def test_every_combination_gives_a_coherent_answer(
    choice: tuple[str, str], private: bool | None, tagged: list[TagAudience],
    hashtags: list[str], flags: tuple[bool, bool, bool, bool], indexing: bool | None,
) -> None:
    platform_id, option_id = choice
    location, media, reshares, disappearing = flags
    exposure = who_can_see(PostSettings(
        platform=platform_id, audience=option_id, account_private=private,
        tagged=[TaggedPerson(name=f"P{i}", audience=a) for i, a in enumerate(tagged)],
        hashtags=hashtags, location=location, has_media=media, reshares_allowed=reshares,
        disappearing=disappearing, search_indexing=indexing,
    ))
    platform = _RULES.get(platform_id)
    assert platform is not None
    option = platform.post_audience.option(option_id)
    assert option is not None
    rows = {r.audience: r for r in exposure.audiences}
    assert {AudienceId.PLATFORM, AudienceId.WEB, AudienceId.SEARCH_ENGINES} <= set(rows)
    assert all(r.reason and r.label and "{" not in r.reason for r in exposure.audiences)
    assert all(p.points for p in exposure.properties)
    if option.reach is Reach.ONLY_ME:
        assert all(r.visibility is Visibility.NO for r in exposure.audiences)
    else:
        assert all(r.visibility is not Visibility.NO for r in exposure.audiences)
    public_for_sure = option.reach is Reach.PUBLIC and (
        not platform.private_account.limits_posts or private is False
    )
    assert (rows[AudienceId.PLATFORM].visibility is Visibility.YES) == public_for_sure
    if rows[AudienceId.SEARCH_ENGINES].visibility is Visibility.YES:
        assert rows[AudienceId.WEB].visibility is Visibility.YES
