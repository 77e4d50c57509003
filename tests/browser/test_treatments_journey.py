"""A patient adds a treatment on a phone and sees its verdict, and its band on the chart."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.models import User
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save
from tests.browser.conftest import assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_NIGHT = date(2026, 11, 27)
START = LAST_NIGHT - timedelta(days=34)
CALF = CrampRecord("calf", "left", 3, 6)


def test_a_patient_adds_magnesium_and_sees_the_response(live_server, page, clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    patient = User.objects.create_user(
        email="mo@example.org", password=PASSWORD, full_name="Mo Magnesium", time_zone="UTC"
    )
    night = START - timedelta(days=28)
    while night <= LAST_NIGHT:  # 2 cramps a night before the start, 1 every other night after
        count = 2 if night < START else (night.toordinal() % 2)
        night_save(patient=patient, record=NightRecord(night, cramps=(CALF,) * count))
        night += timedelta(days=1)

    sign_in(page, live_server, patient.email)
    page.goto(live_server.url + "/treatments/")
    page.get_by_label("Magnesium").check()
    page.get_by_label("Name").fill("Magnesium citrate")
    page.get_by_label("First night").fill(START.isoformat())
    page.get_by_label("Dose or how often (optional)").fill("300 mg at night")
    with page.expect_navigation():
        page.get_by_role("button", name="Add treatment").click()
    assert page.get_by_text("Treatment added.").is_visible()
    table = page.get_by_role("table", name="Cramps a week before and after starting Magnesium")
    assert table.get_by_text("Fewer cramps").first.is_visible()
    assert "\u2212" in table.inner_text()  # a fall, in percent
    assert_no_sideways_scroll(page)
    if shots := __import__("os").environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/treatments.png", full_page=True)

    page.goto(live_server.url + "/trends/?range=90")
    band = page.locator("#frequency-treatment-0")
    assert band.count() == 1
    assert page.locator("#frequency-treatment-0-name").text_content().strip() == "Magnesium citrate"
    assert page.get_by_role("heading", name="Treatments").is_visible()
    assert_no_sideways_scroll(page)
    if shots := __import__("os").environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/trends-treatment.png", full_page=True)
