import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.models import HealthProfile
from tests.browser.conftest import assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_signs_up_walks_the_first_run_page_signs_out_and_in_on_a_phone(
    live_server, page, clock
):
    clock(datetime(2026, 11, 28, 14, 0, tzinfo=UTC))  # 08:00 in Chicago
    page.goto(live_server.url + "/")
    assert_no_sideways_scroll(page)
    # The stylesheet really loaded: Bootstrap's primary button colour is applied.
    start = page.get_by_role("link", name="Start a diary")
    assert start.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(13, 110, 253)"
    start.click()

    expect(page.get_by_label("Your time zone")).to_have_value("America/Chicago")
    assert_no_sideways_scroll(page)
    page.get_by_label("Your name").fill("Erin Phone")
    page.get_by_label("E-mail address").fill("erin@example.org")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("leg-cramps-at-3am")
    page.get_by_label("Password confirmation").fill("leg-cramps-at-3am")
    page.get_by_role("button", name="Create my diary").click()

    # The first-run page: a few chips, the reminder, then Home.
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your diary")
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("heading", name="Add to your home screen")).to_be_visible()
    page.get_by_text("Varicose veins or another vein disease", exact=True).click()
    page.get_by_text("Poor circulation in the legs", exact=True).click()
    page.get_by_text("A statin, such as simvastatin or atorvastatin", exact=True).click()
    page.get_by_label("Send me a morning reminder by e-mail").check()
    page.get_by_label("Reminder time").fill("06:45")
    page.get_by_role("button", name="Save and open my diary").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Good morning, Erin")
    assert_no_sideways_scroll(page)
    erin = User.objects.get(email="erin@example.org")
    assert erin.time_zone == "America/Chicago"
    assert erin.reminders_on and erin.reminder_time.strftime("%H:%M") == "06:45"
    profile = HealthProfile.objects.get(patient=erin)
    assert profile.venous_disease and profile.peripheral_artery_disease
    assert profile.medications == {"statin"} and not profile.kidney_disease
    # A new diary starts at its first night: no "not logged" nights from before it.
    expect(page.locator(".glance-day")).to_have_count(1)

    page.get_by_role("button", name="Menu").click()
    # Let the menu finish opening: a click during Bootstrap's animation can miss the button.
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Start a diary")).to_be_visible()

    page.goto(live_server.url + "/accounts/login/")
    assert_no_sideways_scroll(page)
    page.get_by_label("E-mail address").fill("erin@example.org")
    page.get_by_label("Password").fill("leg-cramps-at-3am")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good morning, Erin")
