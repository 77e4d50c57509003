"""The clinician opens the dashboard, sees the most urgent patient first, reads the summary
and downloads the PDF the worker prepares; the patient sees that visit, stops sharing, and the
clinician is out."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save
from tests.browser.conftest import assert_no_sideways_scroll, sign_in
from tests.conftest import PASSWORD
from tests.prepared import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_reviews_the_most_urgent_patient_and_the_patient_stops_sharing(
    live_server, browser, clock
):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    clinician = User.objects.create_user(
        email="dr.kim@example.org", password=PASSWORD, full_name="Dr Kim", role=Role.CLINICIAN
    )
    calm = User.objects.create_user(
        email="calm@example.org", password=PASSWORD, full_name="Cal Calm"
    )
    urgent = User.objects.create_user(
        email="urgent@example.org", password=PASSWORD, full_name="Ursula Urgent"
    )
    for patient in (calm, urgent):
        care_link_create(patient=patient, clinician=clinician)
    night_save(patient=calm, record=NightRecord(date(2026, 11, 27)))
    severe = CrampRecord("calf", "left", 20, 9, True)
    wont_stop = frozenset({"cramp_wont_stop"})
    night = NightRecord(date(2026, 11, 26), cramps=(severe,), red_flags=wont_stop)
    night_save(patient=urgent, record=night)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = desk.new_page()
    sign_in(page, live_server, clinician.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your patients")
    first_row = page.locator("table.dashboard tbody tr").first
    expect(first_row).to_contain_text("Ursula Urgent")
    expect(first_row).to_contain_text("Urgent")

    first_row.get_by_role("link", name="Ursula Urgent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ursula Urgent")
    expect(page.locator("main")).to_contain_text("A severe cramp that won't stop")
    expect(page.locator("main")).to_contain_text("Reported a severe cramp that would not stop")
    page.get_by_role("link", name="Download PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preparing your file…")
    run_worker()  # the page reloads itself until the file is ready
    expect(page.get_by_role("heading", level=1)).to_have_text("Your file is ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert Path(pdf.path()).read_bytes().startswith(b"%PDF-")

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    patient_page = phone.new_page()
    sign_in(patient_page, live_server, urgent.email)
    patient_page.goto(live_server.url + "/sharing/")
    assert_no_sideways_scroll(patient_page)
    views = patient_page.get_by_role("table")
    expect(views).to_contain_text("Dr Kim")
    expect(views).to_contain_text("downloaded PDF")
    patient_page.get_by_role("button", name="Stop sharing").click()
    expect(patient_page.locator("main")).to_contain_text("Nobody: your diary is private.")

    response = page.goto(page.url)
    assert response.status == 404
    desk.close()
    phone.close()
