"""Connect in Debian's Chromium against a real `kaleidoscope serve`, JavaScript on and
off, axe-core on every page the journeys open:

- a person shares a week of check-ins with a practitioner, the practitioner sees them,
  the person withdraws consent, and the practitioner no longer can;
- a circle is made with consent and a member invited; a non-member gets a 404;
- a topic chat with three participants and a moderator, where a post that identifies a
  child is held back with the checker's explanation (with JavaScript, answers reach the
  other participants without a reload; without it, the Refresh button);
- the archive is readable after the chat.

Every page runs under the site's real Content-Security-Policy (axe is evaluated through
the DevTools protocol, not injected as a script); anything the policy refuses fails the
journey.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from web.axe import assert_axe_clean
from web.live import LiveServer

pytestmark = pytest.mark.browser
PASSWORD = "a-long-pass-phrase-42"
CHILD = "Our social worker visited Jade, 14, at Oakfield School"


class Journey:
    def __init__(self, browser: Any, server: LiveServer, js: bool) -> None:
        self.browser, self.server, self.js = browser, server, js
        self.tag = "on" if js else "off"
        self.contexts: list[Any] = []
        self.scratch = browser.new_context()
        self.contexts.append(self.scratch)
        self.checked: set[str] = set()
        self.refused: list[str] = []  # what the Content-Security-Policy refused

    def page(self, username: str | None = None, js: bool | None = None) -> Any:
        context = self.browser.new_context(java_script_enabled=self.js if js is None else js)
        context.set_default_timeout(20_000)
        context.on("console", self._console)
        self.contexts.append(context)
        page = context.new_page()
        if username:
            page.goto(self.server.url + "/accounts/sign-up/")
            page.get_by_label("Username").fill(username)
            page.locator("#password1").fill(PASSWORD)
            page.locator("#password2").fill(PASSWORD)
            page.get_by_role("button", name="Create account").click()
            page.wait_for_url(re.compile(r".*/record/$"))
        return page

    def go(self, page: Any, path: str) -> None:
        page.goto(self.server.url + path)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.refused.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def axe(self, page: Any) -> None:
        assert_axe_clean(page, self.scratch, self.checked)
        assert self.refused == [], "refused by the Content-Security-Policy"

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def journey(request: Any, chromium: Any, live_server_proc: LiveServer) -> Iterator[Journey]:
    made = Journey(chromium, live_server_proc, request.param)
    try:
        yield made
    finally:
        made.close()
    assert made.refused == [], "refused by the Content-Security-Policy"


def test_share_a_week_then_withdraw(journey: Journey) -> None:
    j = journey
    person, practitioner = j.page(f"pat-{j.tag}"), j.page(f"sam-{j.tag}")
    j.go(practitioner, "/connect/practitioner/")
    j.axe(practitioner)
    practitioner.get_by_label("Role").fill("Social worker")
    practitioner.get_by_label("Agency").fill("Northtown Council")
    practitioner.get_by_role("button", name="Save").click()
    practitioner.get_by_text("Your practitioner details are saved").wait_for()

    j.go(person, "/connect/check-ins/")
    j.axe(person)
    for back in range(7):
        person.locator("#day").select_option(index=back)
        for scale, value in (("mood", 1 + back % 5), ("sleep", 3), ("stress", 2), ("connected", 4)):
            person.locator(f"input[name={scale}][value='{value}']").check(force=True)
        person.get_by_label("Note (optional)").fill(f"Walked by the river, day {back}")
        person.get_by_role("button", name="Save check-in").click()
        person.get_by_text("Your check-in for today is saved").wait_for()
    assert person.locator("svg.k-connect-chart").count() == 1
    j.axe(person)

    person.get_by_role("link", name="Share your check-ins with a practitioner").click()
    j.axe(person)
    person.get_by_label("The practitioner's username").fill(f"sam-{j.tag}")
    person.locator("input[name=scope][value=scores_and_notes]").check(force=True)
    person.get_by_role("button", name="Share").click()
    person.get_by_text(f"sam-{j.tag} can now see your check-ins").wait_for()

    j.go(practitioner, "/connect/check-ins/shared/")
    j.axe(practitioner)
    practitioner.get_by_role("link", name=f"pat-{j.tag}").click()
    practitioner.get_by_role("heading", name=f"Check-ins shared by pat-{j.tag}").wait_for()
    assert practitioner.locator("svg.k-connect-chart").count() == 1
    assert practitioner.locator("tbody tr").count() == 7
    assert "Walked by the river, day 3" in practitioner.content()
    j.axe(practitioner)
    consultation = practitioner.url

    j.go(person, "/connect/check-ins/log/")
    assert f"sam-{j.tag}" in person.content() and "viewed your check-ins" in person.content()
    j.axe(person)
    j.go(person, "/connect/check-ins/")
    person.get_by_role("button", name=re.compile("^Withdraw")).click()
    person.get_by_text(f"You have withdrawn sam-{j.tag}'s access").wait_for()

    answer = practitioner.goto(consultation)
    assert answer is not None and answer.status == 404
    practitioner.get_by_role("heading", name="Not shared any more").wait_for()
    j.axe(practitioner)
    j.go(person, "/connect/check-ins/log/")
    assert "was refused your check-ins: share withdrawn" in person.content()


def test_circle_with_consent_invite_and_a_stranger_gets_404(journey: Journey) -> None:
    j = journey
    worker = j.page(f"worker-{j.tag}")
    j.go(worker, "/connect/circles/")
    j.axe(worker)
    worker.get_by_role("link", name="Make a circle").click()
    j.axe(worker)
    worker.get_by_label("Who is the circle around?").fill("Alex")
    worker.locator("input[name=my_kind][value=practitioner]").check(force=True)
    worker.get_by_label("Your name").fill("Sam Lee")
    worker.get_by_label("Your role").fill("Social worker")
    worker.get_by_label("Your agency").fill("Northtown Council")
    worker.get_by_label("Your work contact").fill("sam.lee@northtown.example")
    worker.locator("input[name=consent_method][value=in_person]").check(force=True)
    worker.locator("input[name=consent_given]").check(force=True)
    worker.get_by_role("button", name="Make the circle").click()
    worker.get_by_role("heading", name="The circle around Alex").wait_for()
    circle_url = worker.url
    j.axe(worker)

    worker.get_by_role("link", name="Invite someone").click()
    worker.locator("input[name=kind][value=chosen]").check(force=True)
    worker.get_by_label("Name", exact=True).fill("Jo")
    worker.get_by_label("Relationship to the person (people they choose)").fill("Aunt")
    worker.get_by_label("Contact").fill("07700 900123")
    worker.get_by_role("button", name="Make an invitation link").click()
    link = worker.locator("#invite-link").get_attribute("href")
    assert link and "/connect/circles/join/" in link
    j.axe(worker)

    aunt = j.page(f"jo-{j.tag}")
    aunt.goto(link)
    j.axe(aunt)
    aunt.get_by_role("button", name="Accept and join").click()
    aunt.get_by_role("heading", name="The circle around Alex").wait_for()
    assert "sam.lee@northtown.example" in aunt.content()
    j.axe(aunt)

    stranger = j.page(f"eve-{j.tag}")
    answer = stranger.goto(circle_url)
    assert answer is not None and answer.status == 404
    assert "sam.lee" not in stranger.content()
    j.axe(stranger)
    forged = stranger.goto(link[:-4] + "AAAA/")
    assert forged is not None and forged.status == 404
    j.go(worker, circle_url.replace(j.server.url, "") + "log/")
    assert f"eve-{j.tag}" in worker.content() and "not a member" in worker.content()


def test_topic_chat_holds_a_child_post_and_archives(journey: Journey) -> None:
    j = journey
    moderator = j.page(f"mo-{j.tag}")
    host = j.page(f"host-{j.tag}")
    j.go(host, "/connect/chats/new/")
    j.axe(host)
    host.get_by_label("Topic").fill(f"Caring for someone with psychosis ({j.tag})")
    host.get_by_label("Questions").fill("What helped you most?\nWhat would you tell a new carer?")
    host.locator("input[name=moderation][value=post]").check(force=True)
    host.get_by_label("Moderators (usernames, separated by spaces)").fill(f"mo-{j.tag}")
    host.get_by_role("button", name="Schedule the chat").click()
    host.get_by_role("heading", name=f"Caring for someone with psychosis ({j.tag})").wait_for()
    chat_url = host.url
    j.axe(host)

    people = [j.page(f"p{n}-{j.tag}") for n in range(3)]
    for person in people:
        person.goto(chat_url)
        if j.js:
            person.evaluate("window.__notReloaded = true")
            person.locator("[data-refresh][hidden]").wait_for(state="attached")
    j.axe(people[0])

    for n, person in enumerate(people[:2]):
        person.get_by_label("Answer", exact=True).fill(f"Talking to other carers, said {n}")
        person.get_by_role("button", name="Post answer").click()
        person.get_by_text("Your answer is posted").wait_for()
    watcher = people[2]
    if not j.js:
        watcher.get_by_role("link", name="Refresh for new answers").click()
    for n in range(2):
        watcher.get_by_text(f"Talking to other carers, said {n}").wait_for()
    assert watcher.locator("ol[data-question='1'] li").count() == 2

    # A post that identifies a child: held back, with the checker's explanation first.
    writer = people[2]
    writer.get_by_label("Answer", exact=True).fill(CHILD)
    writer.get_by_role("button", name="Post answer").click()
    writer.get_by_text("Check before you post: this could identify someone").wait_for()
    assert "Nothing has been posted yet" in writer.content()
    assert "recognised" in writer.content() or "jigsaw" in writer.content()
    j.axe(writer)
    writer.get_by_role("button", name="Send as written for a moderator to check").click()
    writer.get_by_text("held back for a moderator").wait_for()
    if j.js:
        for person in people:
            assert person.evaluate("window.__notReloaded === true")

    j.go(moderator, chat_url.replace(j.server.url, "") + "moderate/")
    moderator.locator(".govuk-warning-text", has_text="Held back by the checker").wait_for()
    assert "Oakfield School" in moderator.content()
    j.axe(moderator)
    j.go(people[0], chat_url.replace(j.server.url, ""))
    assert "Oakfield School" not in people[0].content()

    host.goto(chat_url)
    host.get_by_label("Summary for the archive (optional)").fill("Peer support came up most.")
    host.get_by_role("button", name="End the chat and archive it").click()
    host.get_by_text("The chat has ended").wait_for()

    reader = j.page()
    reader.goto(chat_url)
    reader.get_by_text("this is a read-only archive").wait_for()
    assert "Peer support came up most." in reader.content()
    assert "Talking to other carers, said 1" in reader.content()
    assert "Oakfield School" not in reader.content()
    assert reader.locator("textarea").count() == 0
    j.axe(reader)


def test_live_answers_work_under_the_sites_content_security_policy(
    chromium: Any, live_server_proc: LiveServer
) -> None:
    """Three people in one live chat under the CSP: the chat's script is a static file,
    nothing it does is refused, and answers arrive without a reload."""
    j = Journey(chromium, live_server_proc, True)
    try:
        refused: list[str] = []
        pages = []
        for name in ("csp-host", "csp-ann", "csp-bob"):
            context = chromium.new_context()  # the CSP applies
            context.set_default_timeout(20_000)
            j.contexts.append(context)
            page = context.new_page()
            page.on(
                "console",
                lambda m: refused.append(m.text) if "Content Security" in m.text else None,
            )
            page.goto(j.server.url + "/accounts/sign-up/")
            page.get_by_label("Username").fill(name)
            page.locator("#password1").fill(PASSWORD)
            page.locator("#password2").fill(PASSWORD)
            page.get_by_role("button", name="Create account").click()
            page.wait_for_url(re.compile(r".*/record/$"))
            pages.append(page)
        host, ann, bob = pages
        j.go(host, "/connect/chats/new/")
        host.get_by_label("Topic").fill("Under CSP")
        host.get_by_label("Questions").fill("What helped?")
        host.locator("input[name=moderation][value=post]").check(force=True)
        host.get_by_role("button", name="Schedule the chat").click()
        host.get_by_role("heading", name="Under CSP").wait_for()
        for page in (ann, bob):
            page.goto(host.url)
            page.evaluate("window.__notReloaded = true")
            page.locator("[data-refresh][hidden]").wait_for(state="attached")
        ann.get_by_label("Answer", exact=True).fill("A walk every morning")
        ann.get_by_role("button", name="Post answer").click()
        ann.get_by_text("Your answer is posted").wait_for()
        bob.locator("ol[data-question='1']").get_by_text("A walk every morning").wait_for()
        assert bob.evaluate("window.__notReloaded === true")
        assert ann.evaluate("window.__notReloaded === true")
        assert refused == []
    finally:
        j.close()
