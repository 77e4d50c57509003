"""A patient whose browser asks for Spanish: sign-up, a cramp night, its prompt and the trends,
all in Spanish, with no English on the way (names and units aside)."""

import re
from datetime import UTC, datetime

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import assert_no_sideways_scroll, save_log

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words no Spanish page should show: common English words of our pages.
ENGLISH = re.compile(
    r"\b(the|and|of|your|you|night|nights|cramps?|log|logged|save|saved|with|week|weeks|what|how"
    r"|when|not|none|doctor|visit|today|calf|left|right|trends|help|sleep|last|first|per)\b",
    re.IGNORECASE,
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "es-ES"}


def es(text: str) -> str:
    with translation.override("es"):
        return translation.gettext(text)


def _english_on(page) -> list[str]:
    """English words in the page's visible text; the time-zone list holds place names."""
    text = page.evaluate(
        """() => {
             const body = document.body.cloneNode(true);
             body.querySelectorAll("select").forEach((list) => list.remove());
             document.documentElement.append(body);  // innerText needs it laid out
             const text = body.innerText;
             body.remove();
             return text;
           }"""
    )
    return sorted({match.group(0) for match in ENGLISH.finditer(text)})


def test_a_spanish_patient_logs_a_bad_night_sees_the_prompt_and_the_trends(
    live_server, page, clock
):
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    page.goto(live_server.url + "/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert _english_on(page) == []
    page.get_by_label(es("Your name")).fill("Elena Ruiz")
    page.get_by_label(es("E-mail address")).fill("elena@example.org")
    page.get_by_label(re.compile(rf"^\s*{es('Password')}\*?\s*$")).fill("calambres-a-las-3")
    page.get_by_label(es("Password confirmation")).fill("calambres-a-las-3")
    page.get_by_role("button", name=es("Create my diary")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(es("Start your diary"))
    assert _english_on(page) == []
    page.get_by_role("link", name=es("Skip for now")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Elena")
    assert User.objects.get(email="elena@example.org").language == "es"
    assert _english_on(page) == []

    page.goto(live_server.url + "/log/")
    assert _english_on(page) == []
    section = page.get_by_role("region", name=re.compile(es("Cramp")))
    section.get_by_text(es("Calf"), exact=True).click()
    section.get_by_text(es("Left"), exact=True).click()
    section.get_by_label(es("How long, in minutes?")).fill("15")
    severity = es("How bad, from 0 (no pain) to 10 (worst imaginable)?")
    section.get_by_role("group", name=severity).get_by_text("9", exact=True).click()
    section.get_by_text(es("No relief"), exact=True).click()
    save_log(page, save=es("Save"), check=es("No warning signs ticked: check"))
    expect(page.get_by_text(es("Contact a doctor today")).first).to_be_visible()
    assert _english_on(page) == []
    assert_no_sideways_scroll(page)

    page.goto(live_server.url + "/trends/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert _english_on(page) == []
    chart_words = page.locator("svg.chart").first.inner_html()
    assert es("Cramps each night") in chart_words
    assert_no_sideways_scroll(page)
