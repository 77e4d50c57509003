"""A patient logs a severe, long cramp and is told at once, with reasons, to seek care."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.models import Prompt
from tests.browser.conftest import assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_severe_long_cramp_raises_an_urgent_prompt_with_its_reasons(
    live_server, page, clock, settings
):
    settings.EMERGENCY_NUMBER = "999"
    clock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    User.objects.create_user(
        email="una@example.org", password=PASSWORD, full_name="Una Urgent", time_zone="UTC"
    )
    sign_in(page, live_server, "una@example.org")

    page.goto(live_server.url + "/log/")
    cramp = page.get_by_role("region", name="Cramp 1")
    cramp.get_by_text("Calf", exact=True).click()
    cramp.get_by_text("Right", exact=True).click()
    cramp.get_by_label("How long, in minutes?").fill("15")
    cramp.get_by_role(
        "group", name="How bad, from 0 (no pain) to 10 (worst imaginable)?"
    ).get_by_text("9", exact=True).click()
    page.get_by_role("button", name="Save", exact=True).last.click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Seek immediate medical care")
    expect(alert).to_contain_text("Call 999 or go to urgent care now")
    assert_no_sideways_scroll(page)
    alert.get_by_text("Why am I seeing this?").click()
    expect(alert).to_contain_text("A cramp of 9/10 lasting 15 minutes on the night of 27 Nov")
    expect(alert.get_by_role("link", name="27 Nov")).to_have_attribute("href", "/log/2026-11-27/")

    alert.get_by_role("button", name="I have sought care").click()
    expect(page.locator(".prompt-urgent")).to_contain_text("✓ I have sought care")
    assert Prompt.objects.get().acknowledged_at is not None
