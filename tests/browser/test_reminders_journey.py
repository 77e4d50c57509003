"""A patient turns the morning reminder on in the profile, on a phone, then stops it from the
e-mail's link without signing in."""

from datetime import time

import pytest
from playwright.sync_api import expect

from accounts.models import User
from diary.models import Reminder
from diary.services.reminder_links import Action, reminder_url
from tests.browser.conftest import assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_turns_reminders_on_and_stops_them_from_the_e_mail(live_server, page, settings):
    patient = User.objects.create_user(
        email="early@example.org", password=PASSWORD, full_name="Ed Early", time_zone="UTC"
    )
    sign_in(page, live_server, patient.email)
    page.goto(live_server.url + "/accounts/profile/")
    assert_no_sideways_scroll(page)
    reminder = page.get_by_label("Send me a morning reminder by e-mail")
    expect(reminder).not_to_be_checked()
    reminder.check()
    page.get_by_label("Reminder time").fill("06:45")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Send me a morning reminder by e-mail")).to_be_checked()
    expect(page.get_by_label("Reminder time")).to_have_value("06:45")
    patient.refresh_from_db()
    assert patient.reminders_on and patient.reminder_time == time(6, 45)

    # The e-mail's "stop" link, opened in a browser that is not signed in.
    settings.SITE_URL = live_server.url
    claim = Reminder.objects.create(
        patient=patient, date="2026-12-01", queued_at=patient.date_joined
    )
    page.context.clear_cookies()
    page.goto(reminder_url(claim, Action.UNSUBSCRIBE))
    assert_no_sideways_scroll(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Stop the reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders stopped")
    patient.refresh_from_db()
    assert not patient.reminders_on
