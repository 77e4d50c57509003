"""The CSV download: nothing a spreadsheet would run as a formula."""

import csv
import io
from datetime import date

import pytest

from diary.exports import nights_csv
from diary.records import NightRecord


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
