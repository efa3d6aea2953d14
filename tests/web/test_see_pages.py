"""See in the browser, server side: "Who can see my post" and "Can this child be found?".

The answers come from the real exposure package and its data; these tests check that the
pages show them whole (sources, review dates, the notice that platforms change) and that
odd or tampered forms get clear errors, never a 500.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from kaleidoscope.see.child import bundled_questionnaire
from kaleidoscope.see.rules import bundled_rules

pytestmark = pytest.mark.django_db

NOTICE = "Platforms change their settings"


def html(response: Any) -> str:
    return str(response.content.decode())


def test_index_links_both_tools_and_says_platforms_change(client: Client) -> None:
    page = html(client.get("/see/"))
    assert 'href="/see/post/"' in page and 'href="/see/child/"' in page
    assert NOTICE in page and bundled_rules().last_reviewed.isoformat() in page


def test_post_tool_asks_the_platform_then_its_own_settings(client: Client) -> None:
    first = html(client.get("/see/post/"))
    for platform in bundled_rules().platforms:
        assert f'value="{platform.id}"' in first
    facebook = bundled_rules().get("facebook")
    assert facebook is not None
    second = html(client.get("/see/post/", {"platform": "facebook"}))
    for option in facebook.post_audience.options:
        assert f'value="{option.id}"' in second
    assert 'name="tag_audience_1"' in second and 'name="hashtags"' in second
    assert NOTICE in second
    assert "There is a problem" in html(client.get("/see/post/", {"platform": ""}))


def test_who_can_see_a_tagged_friends_post_on_facebook(client: Client) -> None:
    response = client.post("/see/post/", {
        "platform": "facebook", "audience": "friends", "account_private": "not_sure",
        "tag_name_1": "Sam", "tag_audience_1": "public", "hashtags": "#fostering",
        "about": ["has_media", "location"],
    })
    assert response.status_code == 200
    page = html(response)
    assert "Who can see this post on Facebook" in page and "Audience chosen: Friends" in page
    table = page.split('id="audiences"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row">') == 7  # a header and six groups
    assert "Because you tagged Sam" in table and "Only through a copy" in table
    for prop in ("Persistence", "Replicability", "Scalability", "Searchability"):
        assert f"{prop} (level:" in page
    assert "Profile picture" in page.split('id="still-visible"')[1][:500]
    facts = page.split('id="facts"')[1]
    assert facts.count("last reviewed 2026-") == 9 and "Facebook Help Centre" in facts
    assert 'href="https://www.facebook.com/help/' in facts
    assert NOTICE in page and "boyd" in page.lower()
    assert "BOYD" not in page.replace("fact=BOYD-2007", "")


def test_a_private_instagram_account_caps_a_public_post(client: Client) -> None:
    page = html(client.post("/see/post/", {
        "platform": "instagram", "audience": "account", "account_private": "yes",
    }))
    assert "from a private account" in page and "approved followers only" in page


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"platform": "myspace"}, "platform", "not one of them"),
        ({"platform": "facebook", "audience": "everyone<script>"}, "audience",
         "Select who the post is shared with"),
        ({"platform": "instagram", "account_private": "maybe"}, "account_private",
         "Answer yes, no or not sure"),
        ({"platform": "x", "search_indexing": "2"}, "search_indexing", "Answer yes, no"),
        ({"platform": "x", "about": ["has_media", "teleport"]}, "about", "Choose from"),
        ({"platform": "x", "tag_name_2": "Sam"}, "tag_audience_2", "Person 2"),
        ({"platform": "x", "tag_audience_1": "aliens"}, "tag_audience_1", "Person 1"),
        ({"platform": "x", "tag_name_3": "S" * 90, "tag_audience_3": "public"},
         "tag_name_3", "under 80 characters"),
        ({"platform": "x", "hashtags": "#" + "a" * 101}, "hashtags", "Hashtags:"),
        ({"platform": "x", "hashtags": " ".join(f"#t{i}" for i in range(31))}, "hashtags",
         "Hashtags:"),
    ],
)
def test_tampered_post_settings_are_clear_errors(
    client: Client, form: dict[str, Any], field: str, words: str
) -> None:
    response = client.post("/see/post/", form)
    assert response.status_code == 400
    page = html(response)
    assert "There is a problem" in page and f'href="#{field}"' in page and words in page
    assert "<script>" not in page.split("<main")[1]


def test_child_form_has_every_question_optional(client: Client) -> None:
    page = html(client.get("/see/child/"))
    q = bundled_questionnaire()
    assert page.count("<fieldset") == len(q.questions)
    for question in q.questions:
        assert f'name="{question.id}"' in page
    assert 'type="checkbox"' in page and 'type="radio"' in page
    assert "not a test" in page and NOTICE in page
    assert not re.search(r"<input[^>]*\schecked", page)  # nothing is answered for them


def test_child_report_with_routes_changes_and_sources(client: Client) -> None:
    answers = {
        "platforms": ["instagram", "snapchat"], "accounts_private": "some_public",
        "name_shown": "full_name", "name_known": "yes", "school_in_profile": "yes",
        "live_location": "all_friends", "birth_family_contact": "possibly",
    }
    response = client.post("/see/child/", answers)
    assert response.status_code == 200
    page = html(response)
    assert "Overall: high" in page and 'class="k-level k-level--high"' in page
    assert "The school is named on a profile" in page
    assert "How a birth relative could trace the child" in page
    changes = page.split('id="changes"')[1].split("</ol>")[0]
    assert changes.count('<li class="k-change">') >= 5 and "Talking about it" in changes
    assert "<h3 class=\"govuk-heading-s\">Instagram</h3>" in page and "Snapchat" in page
    assert "last reviewed 2026-" in page and "Still visible even with private settings" in page
    assert NOTICE in page and "Print this report" in page
    # the answers ride along, hidden, for the Markdown download (nothing is stored)
    assert 'name="live_location" value="all_friends"' in page
    md = client.post("/see/child/report.md", answers)
    assert md["Content-Disposition"].endswith('can-this-child-be-found.md"')
    assert html(md).startswith("# Can this child be found?") and "Overall: high" in html(md)


def test_child_report_with_nothing_answered_lists_the_unknowns(client: Client) -> None:
    page = html(client.post("/see/child/", {}))
    assert "Not known yet" in page and "partly because some answers are not known" in page


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"live_location": "moon"}, "live_location", "not one of them"),
        ({"live_location": ["off", "everyone"]}, "live_location", "not one of them"),
        ({"platforms": ["instagram", "none"]}, "platforms", "cannot be combined"),
        ({"platforms": ["myspace"]}, "platforms", "unknown platform"),
        ({"favourite_colour": "blue"}, "platforms", "a question we do not ask"),
    ],
)
def test_tampered_answers_are_clear_errors(
    client: Client, form: dict[str, Any], field: str, words: str
) -> None:
    for url in ("/see/child/", "/see/child/report.md"):
        response = client.post(url, form)
        assert response.status_code == 400
        page = html(response)
        assert "There is a problem" in page and f'href="#{field}"' in page and words in page


def test_see_answers_are_not_logged_or_stored(client: Client, caplog: Any) -> None:
    from django.apps import apps

    client.post("/see/post/", {"platform": "x", "tag_name_1": "Zebedee-Quillfeather",
                               "tag_audience_1": "public"})
    client.post("/see/post/", {"platform": "x", "tag_name_1": "Zebedee-Quillfeather"})
    assert "Zebedee" not in caplog.text
    for model in apps.get_models():
        assert "Zebedee" not in str(list(model.objects.values())), model


def test_a_bookmarked_child_report_link_goes_back_to_the_questions(client: Client) -> None:
    response = client.get("/see/child/report.md")
    assert response.status_code == 302 and response["Location"] == "/see/child/"
