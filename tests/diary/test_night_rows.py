"""The nights table: runs of quiet nights in one row, every other night in its own."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.records import CrampRecord, NightRecord
from diary.domain.stats import QuietRun, is_quiet, night_rows
from diary.services.dates import patient_today
from diary.services.nights import night_save
from tests.prepared import prepared_download

DAY = timedelta(days=1)
START = date(2026, 3, 1)
CRAMP = CrampRecord("calf", "left", 4, 2, True, frozenset(), "")


def quiet(offset: int, sleep: int | None = None) -> NightRecord:
    return NightRecord(START + offset * DAY, sleep_quality=sleep, daytime_impairment="none")


def test_three_quiet_nights_are_one_row_newest_first_with_their_sleep_range():
    nights = [quiet(0, 4), quiet(1, 2), quiet(2), replace(quiet(3), cramps=(CRAMP,))]
    rows = night_rows(nights)
    assert rows == [nights[3], QuietRun(START, START + 2 * DAY, 3, 2, 4)]


def test_a_single_quiet_night_keeps_its_own_row():
    nights = [replace(quiet(0), cramps=(CRAMP,)), quiet(1, 3), replace(quiet(2), cramps=(CRAMP,))]
    assert night_rows(nights) == list(reversed(nights))


def test_two_quiet_nights_are_a_run_and_without_sleep_quality_say_none():
    assert night_rows([quiet(0), quiet(1)]) == [QuietRun(START, START + DAY, 2, None, None)]


def test_an_unlogged_night_ends_a_run():
    rows = night_rows([quiet(0), quiet(1), quiet(3), quiet(4)])
    assert rows == [
        QuietRun(START + 3 * DAY, START + 4 * DAY, 2, None, None),
        QuietRun(START, START + DAY, 2, None, None),
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"cramps": (CRAMP,)},
        {"red_flags": frozenset({"leg_swollen"})},
        {"symptoms": frozenset({"twitching"})},
        {"toxin_exposure": True},
        {"toxin_substance": "weedkiller"},
        {"notes": "new shoes"},
        {"daytime_impairment": "mild"},
    ],
)
def test_anything_to_note_keeps_the_night_out_of_a_run(change):
    noted = replace(quiet(1), **change)
    assert not is_quiet(noted)
    assert night_rows([quiet(0), noted, quiet(2)]) == [quiet(2), noted, quiet(0)]


def test_sleep_details_and_habits_alone_leave_a_night_quiet():
    """They are not columns of the table: a run's row loses nothing the table showed."""
    detailed = replace(quiet(1), awakenings=2, prevention=frozenset({"fluids"}))
    assert is_quiet(detailed) and is_quiet(quiet(0, 1))
    assert len(night_rows([quiet(0), detailed])) == 1


nights_strategy = st.lists(
    st.builds(
        lambda offset, noted, sleep: replace(quiet(offset, sleep), notes="x" if noted else ""),
        st.integers(0, 40),
        st.booleans(),
        st.one_of(st.none(), st.integers(1, 5)),
    ),
    unique_by=lambda night: night.night,
    max_size=30,
)


@given(nights_strategy)
def test_every_night_is_listed_once_newest_first(nights):
    rows = night_rows(nights)
    covered = []
    for row in rows:
        if isinstance(row, QuietRun):
            days = [row.last - i * DAY for i in range(row.nights)]
            assert days[-1] == row.first and row.nights >= 2
            assert all(is_quiet(n) for n in nights if n.night in days)
            covered.extend(days)
        else:
            covered.append(row.night)
    assert covered == sorted((n.night for n in nights), reverse=True)


def test_the_summary_lists_a_quiet_run_in_one_row_and_a_warning_sign_in_its_own(
    patient, patient_client
):
    last = patient_today(patient) - DAY
    for offset, sleep in enumerate([5, 3, 4]):
        night = last - (offset + 1) * DAY
        night_save(patient=patient, record=NightRecord(night, sleep_quality=sleep))
    night_save(patient=patient, record=NightRecord(last, red_flags=frozenset({"leg_swollen"})))
    page = patient_client.get("/summary/?range=30").content.decode()
    assert "3 nights with no cramps and nothing else noted; sleep quality 3–5/5." in page
    assert page.count('<tr class="quiet-run">') == 1
    assert f'<th scope="row">{last:%a %-d %b}</th>' in page
    pdf = prepared_download(patient_client, "/summary/pdf/?range=30")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
