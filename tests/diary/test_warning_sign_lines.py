"""A summary lists each warning sign once, with its nights gathered into runs, however many
nights it was ticked: on the page and in the PDF."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from diary.domain.records import NightRecord
from diary.services.nights import night_save
from diary.services.summaries import warning_sign_lines
from tests.prepared import prepared_download

SWOLLEN = "One calf or leg is swollen, red, warm or tender, even between cramps"
DARK = "Dark, tea- or cola-coloured urine since the cramps"


def _nights():
    """Swollen on 20-22 and 25 Nov, dark urine on 22 Nov, nothing on 23 and 24 Nov."""
    flags = {20: {"leg_swollen"}, 21: {"leg_swollen"}, 22: {"leg_swollen", "dark_urine"}}
    flags[25] = {"leg_swollen"}
    return [
        NightRecord(date(2026, 11, day), red_flags=frozenset(flags.get(day, ())))
        for day in range(20, 26)
    ]


def test_one_line_per_sign_with_its_nights_as_runs():
    lines = warning_sign_lines(_nights())
    assert [(line.flag, line.nights, line.runs) for line in lines] == [
        (
            "leg_swollen",
            4,
            ((date(2026, 11, 20), date(2026, 11, 22)), (date(2026, 11, 25), date(2026, 11, 25))),
        ),
        ("dark_urine", 1, ((date(2026, 11, 22), date(2026, 11, 22)),)),
    ]
    assert lines[0].label == SWOLLEN


def test_no_sign_no_line():
    assert warning_sign_lines([NightRecord(date(2026, 11, 20))]) == []


@pytest.fixture
def diary(patient, clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    for record in _nights():
        night_save(patient=patient, record=record)
    return patient


def test_the_summary_page_lists_each_sign_once(diary, patient_client):
    page = patient_client.get("/summary/?range=30").content.decode()
    signs = page[page.index('<ul class="warning-signs">') :]
    signs = signs[: signs.index("</ul>")]
    assert signs.count("<li>") == 2
    assert f"<strong>{SWOLLEN}</strong> (4 nights): 20 Nov 2026 – 22 Nov 2026, 25 Nov 2026" in (
        signs
    )
    assert "<strong>Dark, tea- or cola-coloured urine since the cramps</strong> (1 night)" in (
        signs.replace("&#x27;", "'")
    )


def test_a_long_run_of_signs_is_one_line(patient, patient_client, clock):
    clock(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    for offset in range(60):
        night = date(2026, 11, 27) - timedelta(days=offset)
        night_save(patient=patient, record=NightRecord(night, red_flags=frozenset({"dark_urine"})))
    page = patient_client.get("/summary/?range=90").content.decode()
    assert "(60 nights): 29 Sep 2026 – 27 Nov 2026</li>" in page


def test_the_pdf_lists_each_sign_once(diary, patient_client):
    pdf = prepared_download(patient_client, "/summary/pdf/?range=30")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "(4 nights): 20 Nov 2026 – 22 Nov 2026, 25 Nov 2026" in text
    assert "(1 night): 22 Nov 2026" in text


def test_the_nights_table_marks_the_signs_without_repeating_them(diary, patient_client):
    page = patient_client.get("/summary/?range=30").content.decode()
    assert page.count(SWOLLEN) == 1  # in the list of signs only, not again night by night
    assert "2 warning signs (listed above)." in page  # 22 Nov: swollen and dark urine
    assert page.count("1 warning sign (listed above).") == 3
    pdf = prepared_download(patient_client, "/summary/pdf/?range=30")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert " ".join(text.split()).count("One calf or leg is swollen") == 1
