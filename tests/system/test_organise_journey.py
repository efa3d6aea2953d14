"""Organise in Debian's Chromium, with JavaScript on and off: a lead opens an assessment
and answers for the organisation, five staff answer the survey from separate browser
contexts (one tries twice), the lead reads the results, downloads the plan (PDF, CSV)
and the policy (DOCX, PDF) and reads them back, then closes the survey. axe-core checks
every kind of page, under the site's real Content-Security-Policy (axe is evaluated
through the DevTools protocol); anything the policy refuses fails the journey."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader
from web.axe import assert_axe_clean
from web.live import LiveServer

from kaleidoscope.organise.validate import bundled_instrument

pytestmark = pytest.mark.browser
PASSWORD = "a-long-pass-phrase-42"
STAFF = 5
INST = bundled_instrument()


def answer_all(page: Any, pick: int) -> None:
    for q in INST.questions:
        options = INST.scale_of(q).options
        option = options[pick % len(options)]
        page.locator(f"input[name='{q.id}'][value='{option.id}']").check()


def download(page: Any, link_name: str, tmp: Path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    target = tmp / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_lead_runs_a_staff_survey(
    chromium: Any, live_server_proc: LiveServer, tmp_path: Path, javascript: bool
) -> None:
    server = live_server_proc
    contexts: list[Any] = []
    scratch = chromium.new_context()
    contexts.append(scratch)
    refused: list[str] = []  # what the Content-Security-Policy refused

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def context() -> Any:
        made = chromium.new_context(
            java_script_enabled=javascript,
            viewport={"width": 390, "height": 844},
            accept_downloads=True,
        )
        made.set_default_timeout(20_000)
        made.on("console", console)
        contexts.append(made)
        return made

    def axe(page: Any) -> None:
        assert_axe_clean(page, scratch)
        assert refused == [], "refused by the Content-Security-Policy"

    try:
        lead = context().new_page()
        lead.goto(server.url + "/accounts/sign-up/")
        lead.get_by_label("Username").fill(f"lead-{'js' if javascript else 'nojs'}")
        lead.locator("#password1").fill(PASSWORD)
        lead.locator("#password2").fill(PASSWORD)
        lead.get_by_role("button", name="Create account").click()
        lead.goto(server.url + "/")
        lead.get_by_role("link", name=re.compile("Organise: assess")).click()
        axe(lead)
        lead.get_by_label("Organisation or team name").fill("Northshire Council")
        lead.get_by_label("Who approves official accounts (optional)").fill(
            "the head of communications"
        )
        lead.get_by_role("button", name="Open the assessment").click()
        lead.wait_for_url(re.compile(r".*/organise/[0-9a-f-]{36}/$"))
        assert lead.locator("svg.k-qr").count() == 1
        link = lead.locator("a.k-join-link").get_attribute("href")
        assert link and "/organise/s/" in link
        axe(lead)

        lead.get_by_role("link", name="Answer the questions").click()
        axe(lead)
        lead.get_by_role("button", name="Save my answers").click()  # nothing chosen
        assert lead.locator(".govuk-error-summary").count() == 1
        axe(lead)
        answer_all(lead, 0)
        lead.get_by_role("button", name="Save my answers").click()
        lead.get_by_text("Your answers are saved").wait_for()
        assert (
            "Staff results appear when at least 5 people have answered; 0 so far" in lead.content()
        )

        for number in range(STAFF):
            phone = context().new_page()
            phone.goto(link)
            if number == 0:
                axe(phone)
            answer_all(phone, number % 3 + 1)
            phone.get_by_role("button", name="Send my answers").click()
            phone.get_by_text("Your answers are in").wait_for()
            if number == 0:
                axe(phone)
                phone.goto(link)  # the same browser again
                assert "already answered" in phone.content()
                axe(phone)

        lead.goto(lead.url.replace("/results/", "/"))
        assert lead.locator("[data-count=responses]").inner_text() == str(STAFF)
        lead.get_by_role("link", name="Results and action plan").click()
        content = lead.content()
        assert "Staff results appear" not in content
        assert "LGIU 2011" in content and "Different units" in content
        assert "Where you and your staff differ" in content
        assert lead.locator("svg.k-chart").count() >= 1
        assert lead.locator(".k-plan li").count() >= 5
        axe(lead)

        plan_pdf = download(lead, "PDF", tmp_path)
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(plan_pdf)).pages)
        assert "Northshire Council: action plan" in " ".join(text.split())
        plan_csv = download(lead, "CSV (for a spreadsheet)", tmp_path).decode()
        assert plan_csv.startswith("rank,theme,action") and len(plan_csv.splitlines()) >= 6

        lead.get_by_role("link", name="draft policy").click()
        assert "draft for local legal and HR review" in lead.content()
        axe(lead)
        policy_docx = download(lead, "Word (DOCX)", tmp_path)
        paragraphs = [p.text for p in Document(io.BytesIO(policy_docx)).paragraphs]
        assert any("Only the head of communications may approve" in p for p in paragraphs)
        ripa = next(
            i for i, p in enumerate(paragraphs) if "Regulation of Investigatory Powers Act" in p
        )
        assert "[CC-FOI-2018]" in paragraphs[ripa + 1]
        policy_pdf = download(lead, "PDF", tmp_path)
        pdf_text = " ".join(
            " ".join((p.extract_text() or "").split())
            for p in PdfReader(io.BytesIO(policy_pdf)).pages
        )
        assert (
            "Regulation of Investigatory Powers Act 2000" in pdf_text
            and "[SWE-GUIDANCE]" in pdf_text
        )

        lead.get_by_role("link", name="Back to the assessment").click()
        lead.get_by_role("button", name="Close the survey").click()
        lead.get_by_text("The survey is closed").wait_for()
        late = context().new_page()
        late.goto(link)
        assert "has been closed" in late.content()
        axe(late)
    finally:
        for made in contexts:
            made.close()
