"""Long ranges stay cheap: a night in 1900 or a range typed from 1900 (126 years, 46,000
nights) gives pages and downloads of bounded size, periods and queries, with exact figures."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import CareLink
from accounts.sharing import care_link_create
from diary.domain import stats
from diary.domain.exchange import Diary
from diary.domain.records import CrampRecord, NightRecord
from diary.services import reports
from diary.services.nights import diary_import, night_save
from tests.prepared import prepared_download

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST = date(2026, 11, 27)  # last night, for a patient in London
CALF = CrampRecord("calf", "left", 4, 6, True, frozenset({"massage"}), "some")
FROM_1900 = f"range=custom&start=1900-01-01&end={LAST}"
ONE_YEAR = f"range=custom&start={LAST - timedelta(days=364)}&end={LAST}"
RECENT = 60  # recent nights logged, every third with a cramp

# Generous bounds: before the change these pages were about 3.8 MB with some 13,000 bars.
HTML_UP_TO = 600 * 1024
SHAPES_UP_TO = 1000  # <rect>, <path> and <use> elements of all the charts of a page


def _recent():
    return [
        NightRecord(LAST - timedelta(days=n), cramps=(CALF,) if n % 3 == 0 else ())
        for n in range(RECENT)
    ]


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.fixture
def diary_from_1900(patient):
    """One night in 1900 (with a cramp), then RECENT recent nights."""
    nights = (NightRecord(date(1900, 1, 1), cramps=(CALF,)), *_recent())
    diary_import(patient=patient, diary=Diary(nights=nights))
    return patient


@pytest.fixture
def recent_diary(patient):
    diary_import(patient=patient, diary=Diary(nights=tuple(_recent())))
    return patient


def _shapes(content: str) -> int:
    return len(re.findall(r"<(?:rect|path|use)\b", content))


def _exact(report):
    """The headline figures count every logged night of the range, however long."""
    s = report.stats
    assert s.nights_in_range == (report.last - report.first).days + 1
    assert s.nights_logged == RECENT + 1
    assert s.cramps == RECENT // 3 + 1
    assert s.cramps_per_week == 7 * s.cramps / s.nights_logged
    assert s.nights_not_logged == s.nights_in_range - s.nights_logged


@pytest.mark.parametrize("path", ["/trends/", "/summary/"])
@pytest.mark.parametrize("query", [FROM_1900, "range=all"])
def test_a_126_year_range_is_a_page_of_bounded_size(patient_client, diary_from_1900, path, query):
    response = patient_client.get(f"{path}?{query}")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.first == date(1900, 1, 1) and report.last == LAST
    _exact(report)
    assert len(report.periods) <= 400
    assert len(report.periods) == reports.PERIODS_UP_TO and report.unit == "month"
    assert report.periods_cut and report.periods[-1].end == LAST
    content = response.content.decode()
    assert len(response.content) < HTML_UP_TO
    assert content.count('<svg aria-hidden="true" class="chart"') == 4
    assert _shapes(content) < SHAPES_UP_TO
    assert content.count("<tr") < 400
    assert f"most recent {reports.PERIODS_UP_TO} months" in content
    if path == "/summary/":
        assert response.context["night_table"] is None
        assert "Months" in content


def test_the_summary_downloads_of_a_126_year_range(patient_client, diary_from_1900):
    pdf = prepared_download(patient_client, f"/summary/pdf/?{FROM_1900}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(pdf.content) < 500 * 1024
    assert "1900-01-01" in pdf["Content-Disposition"]

    response = patient_client.get(f"/summary/csv/?{FROM_1900}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    dates = {row[0] for row in rows[1:]}
    assert "1900-01-01" in dates and str(LAST) in dates  # every logged night, 1900 included
    assert len(dates) == RECENT + 1


def test_a_chart_download_of_a_126_year_range_is_drawn_by_month(patient_client, diary_from_1900):
    response = patient_client.get(f"/trends/frequency.svg?{FROM_1900}")
    assert response.status_code == 200
    assert _shapes(response.content.decode()) < SHAPES_UP_TO
    assert patient_client.get(f"/trends/severity.png?{FROM_1900}").status_code == 200


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
        response.getvalue()  # a streamed download reads as it is sent
    return len(queries)


@pytest.mark.parametrize("path", ["/trends/", "/summary/", "/summary/csv/"])
def test_the_query_count_is_the_same_for_1_and_126_years(patient_client, diary_from_1900, path):
    patient_client.get("/summary/")  # brings the prompts up to date first
    one_year = _queries(patient_client, f"{path}?{ONE_YEAR}")
    all_of_it = _queries(patient_client, f"{path}?{FROM_1900}")
    assert one_year == all_of_it


def _nights_listed(rows) -> int:
    """The nights a nights table covers: a run of quiet nights is one row of several."""
    return sum(row.nights if getattr(row, "is_quiet_run", False) else 1 for row in rows)


def test_a_range_from_long_before_the_diary_starts_at_its_first_night(patient_client, recent_diary):
    first_night = LAST - timedelta(days=RECENT - 1)
    response = patient_client.get(f"/trends/?{FROM_1900}")
    report = response.context["report"]
    assert report.first == first_night == report.diary_starts == report.drawn_first
    assert report.stats.nights_in_range == RECENT == report.stats.nights_logged
    assert report.unit == "week" and not report.periods_cut
    assert sum(period.nights_logged for period in report.periods) == RECENT
    content = response.content.decode()
    assert f"Your diary starts on {first_night:%-d %b %Y}" in content

    summary = patient_client.get(f"/summary/?{FROM_1900}")
    assert summary.context["report"].diary_starts == first_night
    assert _nights_listed(summary.context["night_table"]) == RECENT  # 60 nights: the nights table


def test_a_diary_with_an_older_night_outside_the_range_is_not_said_to_start_later(
    patient_client, patient
):
    nights = (NightRecord(date(1990, 1, 1)), *_recent())
    diary_import(patient=patient, diary=Diary(nights=nights))
    # 2010 to now: the range before it (1993-2009) holds no night, 1990 lies before both.
    response = patient_client.get(f"/trends/?range=custom&start=2010-01-01&end={LAST}")
    report = response.context["report"]
    assert report.diary_starts is None and report.drawn_first < date(2016, 1, 1)
    assert "Your diary starts" not in response.content.decode()


def test_a_range_inside_the_diary_is_not_said_to_start_later(patient_client, recent_diary):
    report = patient_client.get("/trends/?range=30").context["report"]
    assert report.diary_starts is None and report.drawn_first == report.first
    assert "Your diary starts" not in patient_client.get("/trends/?range=30").content.decode()


def test_a_year_lists_weeks_not_365_nights(patient_client, recent_diary):
    night_save(patient=recent_diary, record=NightRecord(LAST - timedelta(days=400)))
    response = patient_client.get("/summary/?range=365")
    assert response.context["night_table"] is None
    assert response.context["report"].unit == "week"
    assert len(response.context["report"].periods) == 53
    three_months = patient_client.get("/summary/?range=90")
    assert _nights_listed(three_months.context["night_table"]) == RECENT


def test_a_last_appointment_in_1900_gives_a_bounded_summary(diary_from_1900, clinician):
    from django.test import Client

    link = care_link_create(patient=diary_from_1900, clinician=clinician)
    CareLink.objects.filter(pk=link.pk).update(last_appointment=date(1900, 1, 1))
    client = Client()
    client.force_login(clinician)
    response = client.get(f"/clinic/patients/{diary_from_1900.public_id}/")
    assert response.status_code == 200
    assert response.context["since_appointment"]
    report = response.context["report"]
    assert report.first == date(1900, 1, 1)
    _exact(report)
    assert len(report.periods) <= 400 and len(response.content) < HTML_UP_TO
    pdf = prepared_download(client, f"/clinic/patients/{diary_from_1900.public_id}/pdf/")
    assert pdf.status_code == 200 and len(pdf.content) < 500 * 1024


# The statistics behind it


def _long_diary():
    return [
        NightRecord(date(1900, 1, 1), cramps=(CALF,)),
        NightRecord(date(1950, 6, 30)),
        *_recent(),
    ]


def test_periods_are_nights_then_weeks_then_months():
    assert stats.period_unit(LAST - timedelta(days=30), LAST) == "night"
    assert stats.period_unit(LAST - timedelta(days=31), LAST) == "week"
    assert stats.period_unit(LAST - timedelta(days=730), LAST) == "week"
    assert stats.period_unit(LAST - timedelta(days=731), LAST) == "month"
    months = stats.periods([], date(2024, 1, 15), date(2026, 3, 3))
    assert [(m.start, m.end) for m in months[:2]] == [
        (date(2024, 1, 15), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
    ]
    assert (months[-1].start, months[-1].end, len(months)) == (
        date(2026, 3, 1),
        date(2026, 3, 3),
        27,
    )
    assert stats.unit_of(months) == "month"


def test_months_add_up_to_the_range_and_most_keeps_the_latest():
    nights, first = _long_diary(), date(1900, 1, 1)
    whole = stats.range_stats(nights, first, LAST)
    months = stats.monthly_periods(nights, first, LAST)
    assert len(months) == (LAST.year - 1900) * 12 + LAST.month
    assert sum(month.nights for month in months) == whole.nights_in_range
    assert sum(month.nights_logged for month in months) == whole.nights_logged
    assert sum(month.cramps for month in months) == whole.cramps
    latest = stats.periods(nights, first, LAST, most=150)
    assert latest == months[-150:]


def test_the_cramp_free_run_counts_logged_nights_in_a_row_only():
    quiet = [NightRecord(date(2026, 11, day)) for day in (1, 2, 3, 5, 6)]
    cramp = NightRecord(date(2026, 11, 7), cramps=(CALF,))
    after = [NightRecord(date(2026, 11, day)) for day in (8, 9, 10, 11)]
    run = stats.range_stats([*quiet, cramp, *after], date(1900, 1, 1), LAST)
    assert run.longest_cramp_free_run == 4  # 8-11 Nov; 1-3 Nov is broken by the unlogged 4th
