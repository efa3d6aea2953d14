"""The platform audience rules (exposure/platforms.yaml): complete, sourced, dated, strict."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from kaleidoscope.guidance.registry import load_registry
from kaleidoscope.see.rules import (
    TOPICS,
    Depth,
    ExposureDataError,
    ProfileItem,
    Reach,
    bundled_rules,
    bundled_text,
    load_rules,
)
from kaleidoscope.see.texts import bundled_texts

OLDEST_REVIEW = date(2026, 11, 21)
REQUIRED = ["facebook", "instagram", "x", "linkedin", "tiktok", "snapchat", "mastodon",
            "bluesky", "threads"]
# Hosts we checked the pages on; a new URL elsewhere needs the same care (no invented URLs).
KNOWN_HOSTS = {
    "www.facebook.com", "help.instagram.com", "help.twitter.com", "support.tiktok.com",
    "github.com", "blueskyweb.zendesk.com",
}


def test_every_platform_is_covered_and_the_first_five_in_depth() -> None:
    rules = bundled_rules()
    assert rules.ids() == REQUIRED
    for platform_id in REQUIRED[:5]:
        platform = rules.get(platform_id)
        assert platform is not None and platform.depth is Depth.DETAILED


def test_every_fact_has_a_source_a_review_date_an_interval_and_a_certainty() -> None:
    rules = bundled_rules()
    count = 0
    for platform in rules.platforms:
        topics = [topic for topic, _ in platform.facts()]
        assert topics == list(TOPICS), platform.id
        for topic, fact in platform.facts():
            where = f"{platform.id}.{topic}"
            assert fact.source.publisher and fact.source.title, where
            assert fact.source.url or fact.source.note or "Help" in fact.source.title, where
            assert OLDEST_REVIEW <= fact.last_reviewed <= date.today(), where
            assert 7 <= fact.review_days <= 730, where
            assert fact.certainty in rules.certainty_labels, where
            assert len(fact.text.split()) >= 8, where
            count += 1
    assert count == len(REQUIRED) * len(TOPICS)
    assert rules.last_reviewed == OLDEST_REVIEW


def test_urls_are_https_on_hosts_we_checked() -> None:
    for platform in bundled_rules().platforms:
        for topic, fact in platform.facts():
            if fact.source.url:
                url = urlparse(fact.source.url)
                assert url.scheme == "https", (platform.id, topic)
                assert url.hostname in KNOWN_HOSTS, (platform.id, topic, url.hostname)


def test_under_18_differences_are_stated_for_every_platform() -> None:
    for platform in bundled_rules().platforms:
        text = platform.under_18.text.lower()
        assert "age" in text or "teen" in text, platform.id
    tiktok = bundled_rules().get("tiktok")
    assert tiktok is not None and "private by default" in tiktok.under_18.text


def test_private_accounts_still_show_name_and_picture() -> None:
    rules = bundled_rules()
    for platform in rules.platforms:
        still = platform.private_account.still_visible
        assert ProfileItem.NAME in still, platform.id
    for platform_id in ("facebook", "instagram", "x", "tiktok", "threads"):
        platform = rules.get(platform_id)
        assert platform is not None
        assert ProfileItem.PROFILE_PICTURE in platform.private_account.still_visible
    instagram = rules.get("instagram")
    assert instagram is not None and instagram.private_account.limits_posts
    labels = rules.item_labels(instagram.private_account.still_visible)
    assert "Name" in labels and "Profile picture" in labels


def test_audience_options_are_well_formed() -> None:
    rules = bundled_rules()
    for platform in rules.platforms:
        options = platform.post_audience.options
        assert any(o.reach is Reach.PUBLIC for o in options), platform.id
    facebook = rules.get("facebook")
    assert facebook is not None
    assert {o.id for o in facebook.post_audience.options} >= {"public", "friends", "only_me"}
    bluesky = rules.get("bluesky")
    assert bluesky is not None and not bluesky.private_account.exists


def test_notice_says_platforms_change_and_gives_the_date() -> None:
    rules = bundled_rules()
    notice = rules.notice.format(date=rules.last_reviewed.isoformat())
    assert "change" in notice and "2026-11-21" in notice


def test_cited_guidance_keys_exist() -> None:
    registry = load_registry()
    for key in bundled_texts("post.yaml").items("guidance"):
        assert key in registry, key


def _write_variant(tmp_path: Path, edit: str) -> Path:
    data = yaml.safe_load(bundled_text("platforms.yaml"))
    facebook = data["platforms"][0]
    if edit == "no_source":
        del facebook["tagging"]["source"]
    elif edit == "bad_date":
        facebook["profile"]["last_reviewed"] = "someday"
    elif edit == "invented_field":
        facebook["profile"]["maybe"] = True
    elif edit == "bad_default":
        facebook["post_audience"]["default"] = "everyone_ever"
    path = tmp_path / "platforms.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ("no_source", "platforms.0.tagging.source"),
        ("bad_date", "platforms.0.profile.last_reviewed"),
        ("invented_field", "platforms.0.profile.maybe"),
        ("bad_default", "platforms.0.post_audience"),
    ],
)
def test_a_broken_rules_file_names_the_file_and_field(
    tmp_path: Path, edit: str, field: str
) -> None:
    path = _write_variant(tmp_path, edit)
    with pytest.raises(ExposureDataError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert str(path) in message and f"field '{field}" in message


def test_a_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "platforms.yaml"
    path.write_text("version: 1\nplatforms: [\n  - id: x\n", "utf-8")
    with pytest.raises(ExposureDataError, match=rf"{path}:\d+:\d+: not valid YAML"):
        load_rules(path)
