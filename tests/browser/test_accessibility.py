"""axe-core finds no serious or critical accessibility problem on the main pages."""

from datetime import UTC, date, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import Role, User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.prepared import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATIENT_PAGES = [
    "/",
    "/start/",
    "/log/",
    "/log/2026-11-27/saved/",
    "/history/",
    "/history/calendar/",
    "/trends/",
    "/prompts/",
    "/treatments/",
    "/summary/",
    "/sharing/",
    "/advice/",
    "/accounts/profile/",
]


def _serious(page) -> list[str]:
    """What axe finds serious or critical on the page, in the light and the dark scheme."""
    found = []
    for scheme in ("light", "dark"):
        # Loaded in the scheme, as a phone set to dark shows it (a switch after loading would
        # catch the buttons' colour transitions half-way).
        page.emulate_media(color_scheme=scheme)
        page.reload()
        results = Axe().run(page)
        found += [
            f"{page.url} ({scheme}): {violation['id']} ({violation['impact']}): "
            f"{violation['help']}: "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
    page.emulate_media(color_scheme="light")
    return found


def test_patient_and_clinician_pages_pass_axe(live_server, page, clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    patient = User.objects.create_user(
        email="ada@example.org", password=PASSWORD, full_name="Ada Access", time_zone="UTC"
    )
    clinician = User.objects.create_user(
        email="dr.axe@example.org", password=PASSWORD, full_name="Dr Axe", role=Role.CLINICIAN
    )
    care_link_create(patient=patient, clinician=clinician)
    severe = CrampRecord("calf", "left", 15, 9, True, frozenset({"massage"}), "some")
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(severe,)))

    problems = []
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/advice/"]:
        page.goto(live_server.url + path)
        problems += _serious(page)
    sign_in(page, live_server, patient.email)
    for path in PATIENT_PAGES:
        page.goto(live_server.url + path)
        problems += _serious(page)
    page.goto(live_server.url + "/summary/pdf/")  # "Preparing your file…", then ready
    run_worker()
    page.goto(page.url)
    problems += _serious(page)
    page.context.clear_cookies()
    sign_in(page, live_server, clinician.email)
    for path in [
        "/clinic/",
        f"/clinic/patients/{patient.public_id}/",
        f"/clinic/patients/{patient.public_id}/treatments/",
    ]:
        page.goto(live_server.url + path)
        problems += _serious(page)
    assert problems == []
