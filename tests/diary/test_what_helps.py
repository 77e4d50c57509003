"""What helps, in words and with its ranges: the sentences themselves (no database), then every
page that shows them: trends, the patient's and the clinician's summary, and the PDF."""

import html
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.stats import HabitEffect, RemedyEffect
from diary.services.nights import night_save
from diary.templatetags.diary_tags import habit_in_words, remedy_in_words
from tests.prepared import prepared_download

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
HAND_WORKED_REMEDY = "helped 6 of 8 tries; somewhere between 41% and 93%"
HAND_WORKED_HABIT = "we can't tell yet (0.5 times as many; could be 0.2 to 1.3)"


def _habit(nights_with: int, cramp_with: int, without: int, cramp_without: int) -> HabitEffect:
    return HabitEffect(
        "stretching",
        nights_with,
        cramp_with,
        without,
        cramp_without,
        rate_with=cramp_with / nights_with,
        rate_without=cramp_without / without,
    )


# The words


def test_a_remedy_says_how_often_it_helped_and_the_range():
    massage = RemedyEffect("massage", tries=8, helped=6, full=2, share=0.75)
    assert remedy_in_words(massage) == HAND_WORKED_REMEDY


def test_a_remedy_with_too_few_tries_has_no_words_of_its_own():
    assert remedy_in_words(RemedyEffect("massage", tries=6, helped=6, full=6, share=None)) == ""


def test_a_habit_that_seems_to_help_says_fewer():
    assert habit_in_words(_habit(20, 5, 20, 15)) == (
        "fewer cramp nights after it (0.3 times as many; could be 0.1 to 0.7)"
    )


def test_a_habit_that_seems_to_harm_says_more():
    assert habit_in_words(_habit(20, 15, 20, 5)) == (
        "more cramp nights after it (3.0 times as many; could be 1.3 to 6.7)"
    )


def test_a_range_end_near_1_keeps_a_second_decimal_rather_than_read_1_point_0():
    # 6 of 24 against 33 of 61: 0.46, could be 0.22 to 0.96, wholly below 1.
    assert habit_in_words(_habit(24, 6, 61, 33)) == (
        "fewer cramp nights after it (0.5 times as many; could be 0.2 to 0.96)"
    )


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        ((10, 3, 12, 8), HAND_WORKED_HABIT),
        ((10, 6, 10, 4), "we can't tell yet (1.5 times as many; could be 0.6 to 3.7)"),
        # The zero cell: small figures keep their first significant digit instead of "0.0".
        ((10, 0, 12, 8), "we can't tell yet (0.07 times as many; could be 0.005 to 1.1)"),
    ],
)
def test_a_habit_whose_range_spans_1_says_we_cant_tell_yet_with_the_figures(counts, words):
    assert habit_in_words(_habit(*counts)) == words


def test_a_habit_with_too_few_nights_has_no_words_of_its_own():
    effect = HabitEffect("stretching", 6, 2, 7, 5, rate_with=None, rate_without=None)
    assert habit_in_words(effect) == ""


# The pages


@pytest.fixture
def diary(patient, clock):
    """22 nights from 6 Nov: stretching on the first 10 (3 cramp nights), not on the next 12
    (8 cramp nights); massage tried on 8 of the 11 cramps, 6 of them with some relief."""
    clock(MORNING)
    reliefs = iter(["some"] * 6 + ["none"] * 2)
    for index in range(22):
        stretched = index < 10
        cramped = index < 3 if stretched else index - 10 < 8
        cramps = ()
        if cramped:
            relief = next(reliefs, None)
            remedies = frozenset({"massage"}) if relief else frozenset()
            cramps = (CrampRecord("calf", "left", 3, 5, True, remedies, relief or ""),)
        night_save(
            patient=patient,
            record=NightRecord(
                date(2026, 11, 6) + timedelta(days=index),
                prevention=frozenset({"stretching"} if stretched else ()),
                cramps=cramps,
            ),
        )
    return patient


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


@pytest.mark.parametrize("path", ["/trends/?range=90", "/summary/?range=90"])
def test_the_patient_pages_give_figures_and_ranges(patient_client, diary, path):
    text = _words(patient_client.get(path).content.decode())
    assert HAND_WORKED_REMEDY in text and HAND_WORKED_HABIT in text
    assert "not enough nights yet (0 with, 22 without)" in text  # fluids, never done
    assert "These are your own nights, not a medical study." in text


@pytest.mark.parametrize("download", ["", "pdf/"])
def test_the_clinician_summary_and_its_pdf_give_figures_and_ranges(diary, clinicians, download):
    url = f"/clinic/patients/{diary.public_id}/{download}?range=90"
    if download:
        pages = PdfReader(io.BytesIO(prepared_download(clinicians["linked"], url).content)).pages
        text = _words(" ".join(page.extract_text() for page in pages))
    else:
        text = _words(clinicians["linked"].get(url).content.decode())
    assert HAND_WORKED_REMEDY in text and HAND_WORKED_HABIT in text
