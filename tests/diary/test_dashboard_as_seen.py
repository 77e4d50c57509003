"""The clinician's dashboard as the clinician reads it: the order of the rows and the counts in
them, read from the page itself."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.models import User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
PROLONGED = CrampRecord("calf", "right", 15, 9, True)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _linked(clinician, name, appointment=None):
    patient = User.objects.create_user(
        email=f"{name.split()[0].lower()}@example.org", full_name=name, time_zone="UTC"
    )
    link = care_link_create(patient=patient, clinician=clinician)
    link.next_appointment = appointment
    link.save()
    return patient


def test_an_urgent_patient_is_above_a_visit_patient_whatever_the_names_and_appointments(
    clinician_client, clinician
):
    """The names sort the other way round and the visit patient's appointment comes first, so
    only the prompt's level can put the urgent patient on top."""
    visit = _linked(clinician, "Aaron Abbott", appointment=date(2026, 11, 30))
    urgent = _linked(clinician, "Zoe Zimmer", appointment=date(2027, 1, 20))
    for night in (date(2026, 11, 20), date(2026, 11, 22)):  # prolonged cramps on 2 nights
        night_save(patient=visit, record=NightRecord(night, cramps=(PROLONGED,)))
    stuck = NightRecord(LAST_NIGHT, red_flags=frozenset({"cramp_wont_stop"}))
    night_save(patient=urgent, record=stuck)
    page = clinician_client.get("/clinic/").content.decode()
    assert page.index("Zoe Zimmer") < page.index("Aaron Abbott")


def test_the_last_14_nights_count_fourteen_nights_and_not_the_fifteenth(
    clinician_client, clinician
):
    patient = _linked(clinician, "Fay Fourteen")
    for back in range(1, 16):  # every night from 15 nights ago to last night
        night_save(patient=patient, record=NightRecord(MORNING.date() - timedelta(days=back)))
    page = clinician_client.get("/clinic/").content.decode()
    assert "14 logged, 0 with cramps" in page
