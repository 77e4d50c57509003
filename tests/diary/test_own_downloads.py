"""The patient's own downloads hold their diary, not just a 200."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save
from tests.prepared import prepared_download

CALF = CrampRecord("calf", "left", 4, 7, True, frozenset({"massage"}), "some")


@pytest.fixture
def diary(patient, clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    swollen = frozenset({"leg_swollen"})
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(CALF, CALF)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25), red_flags=swollen))
    return patient


def test_the_pdf_holds_the_summary_and_the_warning_sign(patient_client, diary):
    response = prepared_download(patient_client, "/summary/pdf/?range=30")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alice Walker" in text
    assert "Warning signs" in text and "swollen" in text


def test_the_csv_holds_one_row_per_cramp_and_the_warning_sign(patient_client, diary):
    response = patient_client.get("/summary/csv/?range=30")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [(row["night"], row["cramp"]) for row in rows] == [
        ("2026-11-25", ""),
        ("2026-11-27", "1"),
        ("2026-11-27", "2"),
    ]
    assert rows[0]["red_flags"].startswith("One calf or leg is swollen")
    assert rows[1]["severity"] == "7" and rows[1]["muscle"] == "Calf"


def test_the_json_is_the_whole_diary_in_the_exchange_format(patient_client, diary):
    data = json.loads(patient_client.get("/summary/json/").getvalue())
    assert (data["format"], data["version"]) == ("night-cramp-diary", 3)
    nights = {night["night"]: night for night in data["nights"]}
    assert len(nights["2026-11-27"]["cramps"]) == 2
    assert nights["2026-11-25"]["red_flags"] == ["leg_swollen"]


def test_every_page_of_the_pdf_says_whose_diary_and_which_page(patient_client, diary):
    """The print stylesheet (diary/summary_print.css) is applied: the first page holds the
    one-minute read alone, and each page has the running head and its number."""
    response = prepared_download(patient_client, "/summary/pdf/?range=30")
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert "Alice Walker" in text and f"{number} / {len(pages)}" in text
