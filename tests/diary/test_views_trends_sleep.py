"""Sleep, week by week, on the trends page and the summaries: only with enough nights of sleep
details, and no more queries for more of them."""

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from diary.domain.demo import demo_patients
from diary.domain.exchange import Diary
from diary.domain.records import CrampRecord, NightRecord
from diary.domain.sleep import MIN_SLEEP_NIGHTS
from diary.services.nights import diary_import, night_save
from tests.prepared import prepared_download

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)  # a Friday
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")
# The worked example: 375 minutes of sleep in 490 in bed (76.5%).
DETAILS = {
    "bed_time": time(22, 30),
    "try_sleep_time": time(23, 0),
    "sleep_onset_minutes": 20,
    "awakenings": 2,
    "awake_minutes": 35,
    "final_wake_time": time(6, 10),
    "out_of_bed_time": time(6, 40),
}


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _log(patient, count: int, *, cramps=(CALF,)):
    """`count` nights with sleep details, ending last night, each with a cramp."""
    for offset in range(count):
        night = LAST_NIGHT - timedelta(days=offset)
        night_save(patient=patient, record=NightRecord(night, cramps=cramps, **DETAILS))


def test_trends_show_no_sleep_table_below_enough_nights(patient_client, patient):
    _log(patient, MIN_SLEEP_NIGHTS - 1)
    response = patient_client.get("/trends/")
    assert response.context["report"].sleep is None
    assert "Sleep, week by week" not in response.content.decode()


def test_trends_show_weekly_sleep_beside_cramps_per_week_with_enough_nights(
    patient_client, patient
):
    _log(patient, MIN_SLEEP_NIGHTS)  # Sat 21 Nov to Fri 27 Nov: 2 nights, then 5
    response = patient_client.get("/trends/")
    sleep = response.context["report"].sleep
    assert sleep.nights == 7
    # The week of 16 Nov has 2 nights (too few for a row); the week of 23 Nov has 5.
    assert [(week.start, week.nights) for week in sleep.weeks] == [(date(2026, 11, 23), 5)]
    content = response.content.decode()
    assert "Sleep, week by week" in content
    assert '<table class="table table-sm sleep-table">' in content
    row = content[content.index('<th scope="row">23 Nov</th>') :].split("</tr>")[0]
    assert "<td>5</td><td>6 h 15 min</td><td>77%</td><td>7.0</td>" in row
    assert "From the sleep details of 7 nights" in content


def test_the_summaries_show_the_sleep_figures(patient_client, patient, clinicians):
    _log(patient, 10)
    for client, path in [
        (patient_client, "/summary/?range=30"),
        (clinicians["linked"], f"/clinic/patients/{patient.public_id}/?range=30"),
    ]:
        content = client.get(path).content.decode()
        assert "Sleep a night" in content and "6 h 15 min" in content
        assert "77% efficiency" in content and "(10 nights)" in content
        assert "Sleep, week by week" in content


def test_the_pdf_holds_the_sleep_figures(patient_client, patient):
    _log(patient, 10)
    response = prepared_download(patient_client, "/summary/pdf/?range=30")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sleep a night" in text and "6 h 15 min" in text
    assert "Sleep, week by week" in text


def test_the_summary_has_no_sleep_figures_without_sleep_details(patient_client, patient):
    for offset in range(10):
        night_save(patient=patient, record=NightRecord(LAST_NIGHT - timedelta(days=offset)))
    content = patient_client.get("/summary/?range=30").content.decode()
    assert "Sleep a night" not in content and "Sleep, week by week" not in content


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/trends/?range=90", "/summary/?range=90"])
def test_the_queries_do_not_grow_with_the_nights_of_sleep_details(patient_client, patient, path):
    _log(patient, 8)
    few = _queries(patient_client, path)
    for offset in range(8, 80):
        night = LAST_NIGHT - timedelta(days=offset)
        night_save(patient=patient, record=NightRecord(night, **DETAILS))
    many = _queries(patient_client, path)
    assert many == few


def test_the_demo_patient_has_sleep_details_on_recent_weeks(patient_client, patient):
    demo = demo_patients(MORNING.date())[0]
    with_details = [night for night in demo.nights if night.has_sleep_details]
    assert len(with_details) >= 3 * 7
    assert min(night.night for night in with_details) >= MORNING.date() - timedelta(days=35)
    diary_import(patient=patient, diary=Diary(nights=demo.nights))
    sleep = patient_client.get("/trends/").context["report"].sleep
    assert sleep is not None and len(sleep.weeks) >= 4
