"""The log page's "Sleep details": optional, closed for a new patient, open for one who uses it,
and never in the way of the one-tap "No cramps"."""

import re
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.domain.records import NightRecord
from diary.services.nights import night_record, night_save

# 09:00 in London on Saturday 28 November 2026: last night is the night of Friday the 27th.
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
DETAILS = {
    "bed_time": time(22, 30),
    "try_sleep_time": time(23, 0),
    "sleep_onset_minutes": 20,
    "awakenings": 2,
    "awake_minutes": 35,
    "final_wake_time": time(6, 10),
    "out_of_bed_time": time(6, 40),
}
TYPED = {
    "night-bed_time": "22:30",
    "night-try_sleep_time": "23:00",
    "night-sleep_onset_minutes": "20",
    "night-awakenings": "2",
    "night-awake_minutes": "35",
    "night-final_wake_time": "06:10",
    "night-out_of_bed_time": "06:40",
}
NO_CRAMPS_SHOWN = {"cramps-TOTAL_FORMS": "0", "cramps-INITIAL_FORMS": "0"}


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _section(content: str) -> str:
    """The opening tag of the "Sleep details" section."""
    return re.search(r"<details[^>]*data-sleep-details[^>]*>", content).group(0)


def _is_open(response) -> bool:
    opened = response.context["sleep_open"]
    assert opened == _section(response.content.decode()).endswith(" open>")
    return opened


def test_a_new_patient_sees_the_section_closed(patient_client):
    response = patient_client.get("/log/")
    assert not _is_open(response)
    assert "Sleep details" in response.content.decode()


def test_every_field_has_a_label_and_the_phones_own_keyboard(patient_client):
    content = patient_client.get("/log/").content.decode()
    for name in ("bed_time", "try_sleep_time", "final_wake_time", "out_of_bed_time"):
        assert re.search(rf'<label\s+for="id_night-{name}"', content)
        assert re.search(rf'<input type="time" name="night-{name}"', content)
    for name in ("sleep_onset_minutes", "awakenings", "awake_minutes"):
        assert re.search(rf'<label\s+for="id_night-{name}"', content)
        number = rf'<input type="number" name="night-{name}"[^>]*inputmode="numeric"'
        assert re.search(number, content)


def test_sleep_details_are_saved_and_shown_again(patient_client, patient):
    response = patient_client.post("/log/", {**NO_CRAMPS_SHOWN, **TYPED})
    assert response.status_code == 302
    saved = night_record(patient=patient, night=LAST_NIGHT)
    assert {name: getattr(saved, name) for name in DETAILS} == DETAILS
    assert saved.cramps == ()

    response = patient_client.get("/log/")
    assert _is_open(response)
    content = response.content.decode()
    assert 'name="night-bed_time" value="22:30"' in content
    assert 'name="night-final_wake_time" value="06:10"' in content
    assert 'name="night-awakenings" value="2"' in content


def test_a_time_with_seconds_is_kept_to_the_minute(patient_client, patient):
    patient_client.post("/log/", {**NO_CRAMPS_SHOWN, "night-bed_time": "22:30:45"})
    assert night_record(patient=patient, night=LAST_NIGHT).bed_time == time(22, 30)


def test_clearing_the_details_removes_them(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, **DETAILS))
    patient_client.post("/log/", {**NO_CRAMPS_SHOWN, "night-notes": "slept"})
    saved = night_record(patient=patient, night=LAST_NIGHT)
    assert not saved.has_sleep_details and saved.notes == "slept"


def test_the_section_opens_when_the_previous_logged_night_had_sleep_details(
    patient_client, patient
):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 24), awakenings=1))
    assert _is_open(patient_client.get("/log/"))


def test_the_section_stays_closed_when_the_previous_logged_night_had_none(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20), **DETAILS))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25), notes="no details"))
    assert not _is_open(patient_client.get("/log/"))
    # A later night does not open an earlier one's page: "previous" is before the night.
    assert not _is_open(patient_client.get("/log/2026-11-19/"))


def _queries(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in context.captured_queries]


def test_deciding_costs_one_query_whatever_the_diary_holds(patient_client, patient):
    patient_client.get("/log/")  # the session and the prompts brought up to date
    before = _queries(patient_client, "/log/")
    # One query for the sleep section (the other earlier-nights query, joined to the cramps,
    # asks whether "Same as last time" has a night to copy).
    sleep_queries = ['"diary_night"."date" <' in sql and "diary_cramp" not in sql for sql in before]
    assert sum(sleep_queries) == 1
    for day in range(1, 27):
        night_save(patient=patient, record=NightRecord(date(2026, 10, day), **DETAILS))
    patient_client.get("/log/")
    assert len(_queries(patient_client, "/log/")) == len(before)


def test_a_bad_detail_is_shown_beside_its_field_with_the_section_open(patient_client, patient):
    response = patient_client.post(
        "/log/", {**NO_CRAMPS_SHOWN, "night-awakenings": "51", "night-awake_minutes": "721"}
    )
    assert response.status_code == 200
    assert night_record(patient=patient, night=LAST_NIGHT) is None
    assert _is_open(response)
    form = response.context["night_form"]
    assert form.errors["awakenings"] == ["Times you woke: from 0 to 50, please."]
    assert form.errors["awake_minutes"] == [
        "Minutes awake in the night: from 0 to 720 (12 hours) in all, please."
    ]
    content = response.content.decode()
    field = content.index('name="night-awakenings"')
    assert content.index("Times you woke: from 0 to 50", field) < content.index(
        'name="night-awake_minutes"'
    ), "the message sits right after its field"
    assert 'href="#id_night-awakenings"' in content  # and in the summary at the top


def test_a_time_that_is_not_a_time_is_refused_beside_its_field(patient_client, patient):
    response = patient_client.post("/log/", {**NO_CRAMPS_SHOWN, "night-bed_time": "25:00"})
    assert response.status_code == 200 and _is_open(response)
    assert response.context["night_form"].errors["bed_time"] == [
        "Type the time as hours and minutes, such as 22:30."
    ]
    assert night_record(patient=patient, night=LAST_NIGHT) is None


def test_no_cramps_stays_one_tap_and_needs_no_sleep_details(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 26), **DETAILS))
    response = patient_client.post("/log/2026-11-27/no-cramps/")
    assert response.status_code == 302
    saved = night_record(patient=patient, night=LAST_NIGHT)
    assert saved.cramps == () and not saved.has_sleep_details


def test_no_cramps_keeps_the_nights_sleep_details(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, **DETAILS))
    patient_client.post("/log/2026-11-27/no-cramps/")
    saved = night_record(patient=patient, night=LAST_NIGHT)
    assert {name: getattr(saved, name) for name in DETAILS} == DETAILS


def test_undo_puts_the_sleep_details_back(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, **DETAILS))
    patient_client.post("/log/", {**NO_CRAMPS_SHOWN, "night-notes": "changed my mind"})
    patient_client.post("/log/2026-11-27/undo/")
    assert night_record(patient=patient, night=LAST_NIGHT) == NightRecord(LAST_NIGHT, **DETAILS)
