"""The CSV and JSON downloads are streamed, a page of nights at a time, and say exactly what
they said when they were made whole in memory."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from diary.domain.records import CrampRecord, NightRecord, TreatmentRecord
from diary.output.exports import nights_csv
from diary.services.nights import diary_export, night_save
from diary.services.reports import report_for
from diary.services.treatments import treatment_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 4, 7, True, frozenset({"massage"}), "some")
FOOT = CrampRecord("foot", "right", 0.5, 3)


@pytest.fixture
def diary(patient, clock, monkeypatch):
    """Seven nights over three pages of three: cramps, a quiet night, a warning sign, a note a
    spreadsheet would run, and a treatment for some of them."""
    monkeypatch.setattr("diary.services.downloads.PAGE", 3)
    clock(MORNING)
    first = date(2026, 11, 20)
    for offset in range(7):
        night = first + timedelta(days=offset)
        record = NightRecord(night, cramps=(CALF, FOOT)[: offset % 3])
        if offset == 2:
            record = NightRecord(night, red_flags=frozenset({"dark_urine"}), notes="=1+1")
        night_save(patient=patient, record=record)
    magnesium = TreatmentRecord("=Magnesium", "magnesium", date(2026, 11, 22), dose="300 mg")
    treatment_save(patient=patient, record=magnesium, today=MORNING.date())
    return patient


def _whole_csv(patient, first, last) -> str:
    """The CSV as the summary made it before it was streamed: from the range's report."""
    report = report_for(patient=patient, first=first, last=last)
    return nights_csv(report.nights, [result.treatment for result in report.treatments])


@pytest.mark.parametrize("query", ["range=30", "range=custom&start=2026-11-21&end=2026-11-25"])
def test_the_streamed_csv_is_the_csv_made_whole(diary, patient_client, query):
    response = patient_client.get(f"/summary/csv/?{query}")
    assert response.streaming
    first, last = (date(2026, 11, 20), date(2026, 11, 26))
    if "custom" in query:
        first, last = (date(2026, 11, 21), date(2026, 11, 25))
    streamed = response.getvalue().decode()
    assert streamed == _whole_csv(diary, first, last)
    assert "'=1+1" in streamed and "'=Magnesium" in streamed  # never a formula
    assert ",=" not in streamed


def test_the_clinicians_streamed_csv_is_the_same(diary, clinicians, patient_client):
    url = f"/clinic/patients/{diary.public_id}/csv/?range=30"
    streamed = clinicians["linked"].get(url).getvalue()
    assert streamed == patient_client.get("/summary/csv/?range=30").getvalue()


@pytest.mark.parametrize("path", ["/summary/json/", "/diary/export/"])
def test_the_streamed_json_is_the_json_made_whole(diary, patient_client, path):
    response = patient_client.get(path)
    assert response.streaming and response["Content-Type"] == "application/json"
    whole = json.dumps(diary_export(patient=diary), cls=DjangoJSONEncoder, indent=1)
    assert response.getvalue().decode() == whole
    assert len(json.loads(whole)["nights"]) == 7


def test_an_empty_diary_streams_an_empty_list_of_nights(patient, patient_client):
    response = patient_client.get("/diary/export/")
    whole = json.dumps(diary_export(patient=patient), cls=DjangoJSONEncoder, indent=1)
    assert response.getvalue().decode() == whole
    assert '"nights": []' in whole
