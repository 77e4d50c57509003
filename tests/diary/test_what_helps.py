"""What helps, in words and with its ranges: the sentences themselves (no database), then every
page that shows them: trends, the patient's and the clinician's summary, and the PDF."""

import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.what_helps import NO_REMEDY, HabitEffect, RemedyEffect, Stratum
from diary.services.nights import night_save
from diary.templatetags.diary_tags import habit_in_words, remedy_in_words
from tests.diary.test_what_helps_figures import HAND_WORKED_STRATA, diary_from_strata
from tests.prepared import prepared_download

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
EARLIER = timedelta(days=130)  # the hand-worked diary, moved to end a month before MORNING
HAND_WORKED_REMEDY = "eased fully after it: 17 of 20 (85%; somewhere between 64% and 95%)"
HAND_WORKED_NO_REMEDY = "eased fully with no remedy: 3 of 12 (25%; somewhere between 9% and 53%)"
HAND_WORKED_HABIT = "we can't tell yet (0.7 times as many; could be 0.3 to 1.4)"
ASSOCIATIONS = "These are associations in this diary, not proof that a habit helps or harms."


def _habit(*strata: Stratum) -> HabitEffect:
    return HabitEffect("stretching", *strata)


# The words


def test_a_remedy_and_no_remedy_say_how_often_cramps_eased_fully_and_the_range():
    assert remedy_in_words(RemedyEffect("massage", 20, 17, 0.85, True)) == HAND_WORKED_REMEDY
    assert remedy_in_words(RemedyEffect(NO_REMEDY, 12, 3, 0.25)) == HAND_WORKED_NO_REMEDY


def test_a_remedy_with_too_few_tries_has_no_words_of_its_own():
    assert remedy_in_words(RemedyEffect("massage", 6, 6, None)) == ""


def test_the_hand_worked_habit_says_we_cant_tell_yet_with_the_figures():
    assert habit_in_words(_habit(*HAND_WORKED_STRATA)) == HAND_WORKED_HABIT


def test_a_habit_that_seems_to_help_says_fewer():
    assert habit_in_words(_habit(Stratum(2, 20, 10, 20), Stratum(1, 10, 5, 10))) == (
        "fewer cramp nights after it (0.2 times as many; could be 0.06 to 0.6)"
    )


def test_a_habit_that_seems_to_harm_says_more():
    assert habit_in_words(_habit(Stratum(10, 20, 2, 20), Stratum(5, 10, 1, 10))) == (
        "more cramp nights after it (5.0 times as many; could be 1.6 to 15.5)"
    )


def test_a_habit_whose_ratio_cannot_be_formed_says_we_cant_tell_yet():
    effect = _habit(Stratum(5, 10, 0, 0), Stratum(0, 0, 2, 10))
    assert habit_in_words(effect) == (
        "we can't tell yet (no nights alike, with and without it, to compare)"
    )


def test_a_habit_with_too_few_nights_has_no_words_of_its_own():
    assert habit_in_words(_habit(Stratum(2, 6, 5, 7), Stratum(0, 0, 0, 0))) == ""


# The pages


@pytest.fixture
def diary(patient, clock):
    """The hand-worked habit (docs/treatments.md) as a diary from 24 Jun 2026, its 32 cramps
    given, in date order, massage that eased 17 fully and 3 partly, then no remedy that eased
    3 fully and 9 not at all: the hand-worked remedy against no remedy."""
    clock(MORNING)
    treatments = iter(
        [({"massage"}, "full")] * 17
        + [({"massage"}, "some")] * 3
        + [(set(), "full")] * 3
        + [(set(), "none")] * 9
    )
    for night in diary_from_strata(*HAND_WORKED_STRATA):
        cramps = ()
        if night.cramps:
            remedies, relief = next(treatments)
            cramps = (CrampRecord("calf", "left", 3, 5, True, frozenset(remedies), relief),)
        night_save(
            patient=patient,
            record=NightRecord(night.night - EARLIER, prevention=night.prevention, cramps=cramps),
        )
    assert next(treatments, None) is None
    return patient


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


EXPECTED = (HAND_WORKED_REMEDY, HAND_WORKED_NO_REMEDY, HAND_WORKED_HABIT, ASSOCIATIONS)


@pytest.mark.parametrize("path", ["/trends/?range=365", "/summary/?range=365"])
def test_the_patient_pages_give_figures_and_ranges(patient_client, diary, path):
    text = _words(patient_client.get(path).content.decode())
    assert [words for words in EXPECTED if words not in text] == []
    assert "<strong>helpful</strong>: eased fully more often than with no remedy" in text
    assert "not enough nights yet (0 with, 41 without)" in text  # fluids, never done


@pytest.mark.parametrize("download", ["", "pdf/"])
def test_the_clinician_summary_and_its_pdf_give_figures_and_ranges(diary, clinicians, download):
    url = f"/clinic/patients/{diary.public_id}/{download}?range=365"
    if download:
        pages = PdfReader(io.BytesIO(prepared_download(clinicians["linked"], url).content)).pages
        text = _words(" ".join(page.extract_text() for page in pages))
    else:
        text = _words(clinicians["linked"].get(url).content.decode())
    assert HAND_WORKED_REMEDY in text and HAND_WORKED_HABIT in text
    assert HAND_WORKED_NO_REMEDY in text
