"""What a page costs does not grow with the length of the diary (issue "ten times the clinic"):
the same queries for a diary of one night and one of ten years, and the pages that sum up long
ranges read no night at all while the diary has not changed (their figures are kept per diary
version), besides the diary's first night (one value from the index)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.sharing import care_link_create
from diary.domain.records import NightRecord
from diary.models import Cramp, Night
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
TEN_YEARS = 3650
# The tables of nights and cramps, as they appear in a query's FROM or JOIN.
DIARY_TABLES = ('"diary_night"', '"diary_cramp"')
FIRST_NIGHT = 'SELECT MIN("diary_night"."date")'  # where a range of "all" starts


def _reads_nights(sql: str) -> bool:
    return any(table in sql for table in DIARY_TABLES) and not sql.startswith(FIRST_NIGHT)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _diary_of(patient, nights: int) -> None:
    """`nights` nights ending the night before last (so the log page opens on a night to
    fill in): a cramp every other night, the latest among them (so "same as last time" has
    something to copy), and now and then a warning sign."""
    rows = Night.objects.bulk_create(
        Night(
            patient=patient,
            date=LAST_NIGHT - timedelta(days=1 + n),
            red_flag_leg_swollen=n % 400 == 399,
        )
        for n in range(nights)
    )
    Cramp.objects.bulk_create(
        Cramp(night=row, muscle="calf", side="left", duration_minutes=2, severity=5)
        for row in rows[::2]
    )


def _reads(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200, path
    return [query["sql"] for query in queries]


PATIENT_PAGES = [
    "/",
    "/log/",
    "/log/?same=1",
    "/history/",
    "/trends/?range=all",
    "/summary/",
    "/summary/?range=all",
]
CLINICIAN_PAGES = ["/clinic/patients/{id}/", "/clinic/patients/{id}/?range=all"]


@pytest.fixture
def one_night_and_ten_years(patient, other_patient, clinician):
    """Two patients sharing with the same clinician: one night, and ten years of nights."""
    diaries = {}
    for owner, nights in ((other_patient, 1), (patient, TEN_YEARS)):
        _diary_of(owner, nights)
        care_link_create(patient=owner, clinician=clinician)
        client = Client()
        client.force_login(owner)
        client.get("/")  # the first visit of the day evaluates the prompts
        diaries[nights] = owner, client
    as_clinician = Client()
    as_clinician.force_login(clinician)
    return diaries, as_clinician


@pytest.mark.parametrize("path", PATIENT_PAGES + CLINICIAN_PAGES)
def test_a_page_makes_the_same_queries_for_one_night_and_ten_years(one_night_and_ten_years, path):
    diaries, as_clinician = one_night_and_ten_years
    counts = {}
    for nights, (owner, client) in diaries.items():
        client = as_clinician if path.startswith("/clinic/") else client
        url = path.format(id=owner.public_id)
        _reads(client, url)  # the first view of the day keeps what the page sums up
        counts[nights] = len(_reads(client, url))
    assert counts[1] == counts[TEN_YEARS], counts


@pytest.mark.parametrize("path", ["/summary/?range=all", "/trends/?range=all", *CLINICIAN_PAGES])
def test_a_long_range_is_read_once_per_change_not_on_every_view(one_night_and_ten_years, path):
    diaries, as_clinician = one_night_and_ten_years
    owner, client = diaries[TEN_YEARS]
    client = as_clinician if path.startswith("/clinic/") else client
    url = path.format(id=owner.public_id)
    first = _reads(client, url)
    assert any(_reads_nights(sql) for sql in first)  # read once
    again = _reads(client, url)
    assert not [sql for sql in again if _reads_nights(sql)]


def _swollen_nights(client, path) -> int:
    lines = client.get(path).context["warning_signs"]
    return sum(line.nights for line in lines if line.flag == "leg_swollen")


def test_a_change_shows_at_once_on_a_kept_summary(patient, patient_client):
    _diary_of(patient, TEN_YEARS)
    before = _swollen_nights(patient_client, "/summary/?range=all")
    assert before == TEN_YEARS // 400
    record = NightRecord(LAST_NIGHT, red_flags={"leg_swollen"})
    night_save(patient=patient, record=record)
    assert _swollen_nights(patient_client, "/summary/?range=all") == before + 1


def test_the_log_page_reads_only_the_nights_it_shows(one_night_and_ten_years):
    """The night itself, the night before it for the sleep details, the last cramp night
    for "same as last time": each a single row (LIMIT 1) or the night's own date."""
    diaries, _as_clinician = one_night_and_ten_years
    _owner, client = diaries[TEN_YEARS]
    for path in ("/log/", "/log/?same=1", f"/log/{LAST_NIGHT - timedelta(days=40)}/"):
        client.get(path)
        for sql in _reads(client, path):
            if '"diary_night"' in sql or '"diary_cramp"' in sql:
                assert "LIMIT 1" in sql or '"night_id" IN (' in sql, sql


def test_the_nights_read_are_the_same_whichever_way_their_cramps_are_read(patient, monkeypatch):
    """By the nights' ids (up to CRAMPS_BY_NIGHT_IDS_UP_TO nights) or through a subquery."""
    from diary import models

    _diary_of(patient, 50)
    nights = Night.objects.filter(patient=patient)
    by_ids = models.night_records(nights)
    monkeypatch.setattr(models, "CRAMPS_BY_NIGHT_IDS_UP_TO", 10)
    by_subquery = models.night_records(nights)
    assert by_ids == by_subquery
    assert len(by_ids) == 50 and sum(len(record.cramps) for _id, record in by_ids) == 25
