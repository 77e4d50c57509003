import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, Night
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
NOVEMBER = date(2026, 11, 1)
CALF = CrampRecord("calf", "left", 3, 6, True)
FOOT = CrampRecord("foot", "right", 1.5, 8)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _cell(response, day):
    return next(cell for week in response.context["weeks"] for cell in week if cell.day == day)


def _month_links(content) -> list[str]:
    return re.findall(r'href="\?month=([^"]*)"', content)


def test_month_grid_shows_logged_nights_cramp_counts_and_unlogged_nights(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25), cramps=(CALF, FOOT)))
    response = patient_client.get("/history/calendar/")
    assert response.status_code == 200
    assert response.context["month"] == NOVEMBER
    assert _cell(response, date(2026, 11, 27)).night.cramps == ()
    assert len(_cell(response, date(2026, 11, 25)).night.cramps) == 2
    assert _cell(response, date(2026, 11, 26)).night is None
    content = response.content.decode()
    # Each state in words, not colour alone, on a link to that night.
    for night, words in (("2026-11-27", "no cramps"), ("2026-11-25", "2 cramps")):
        link = re.search(rf'<a href="/log/{night}/"[^>]*>(.*?)</a>', content, re.S)[1]
        assert words in link
    unlogged = re.search(r'<a href="/log/2026-11-26/"[^>]*>(.*?)</a>', content, re.S)[1]
    assert "not logged" in unlogged and "Thursday" in unlogged and "November" in unlogged
    assert "2 of 27 nights logged, 1 with cramps" in content


def test_weeks_start_on_monday_and_name_their_days(patient_client):
    response = patient_client.get("/history/calendar/")
    weeks = response.context["weeks"]
    assert all(week[0].day.weekday() == 0 and len(week) == 7 for week in weeks)
    # 1 November 2026 is a Sunday: the first row starts in October, outside the month.
    assert weeks[0][0].day == date(2026, 10, 26) and not weeks[0][0].in_month
    content = response.content.decode()
    assert content.count('<th scope="col">') == 7
    assert '<span class="visually-hidden">Monday</span>' in content


def test_only_nights_up_to_last_night_link_to_the_log(patient_client):
    content = patient_client.get("/history/calendar/").content.decode()
    assert 'href="/log/2026-11-27/"' in content and 'href="/log/2026-11-01/"' in content
    assert 'href="/log/2026-11-28/"' not in content  # tonight's night has not begun
    assert 'href="/log/2026-11-29/"' not in content
    assert 'aria-current="date"' in content


def test_the_current_month_is_the_patients_own(patient_client, patient, clock):
    clock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))  # already 1 December in Auckland
    patient.time_zone = "Pacific/Auckland"
    patient.save()
    response = patient_client.get("/history/calendar/")
    assert response.context["month"] == date(2026, 12, 1)
    assert "No night of this month can be logged yet" in response.content.decode()
    assert patient_client.get("/history/calendar/?month=2026-11").context["month"] == NOVEMBER


@pytest.mark.parametrize(
    "value", ["2026-13", "2026-00", "x", "0001-01", "0000-01", "1899-12", "99999-01", "%00", ""]
)
def test_a_bad_month_shows_the_current_month(patient_client, value):
    response = patient_client.get(f"/history/calendar/?month={value}")
    assert response.status_code == 200
    assert response.context["month"] == NOVEMBER


@pytest.mark.parametrize("value", ["2026-12", "2027-01", "9999-12"])
def test_future_months_are_refused(patient_client, value):
    response = patient_client.get(f"/history/calendar/?month={value}")
    assert response.context["month"] == NOVEMBER
    assert _month_links(response.content.decode()) == ["2026-10"]  # back, never forward


def test_an_earlier_month_links_to_its_neighbours(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 10, 31), cramps=(CALF,)))
    response = patient_client.get("/history/calendar/?month=2026-10")
    assert response.context["month"] == date(2026, 10, 1)
    assert len(_cell(response, date(2026, 10, 31)).night.cramps) == 1
    content = response.content.decode()
    assert _month_links(content) == ["2026-09", "2026-11"]
    assert "<title>Calendar: October 2026 · Night Cramp Diary</title>" in content


def test_the_calendar_goes_back_to_1900_and_no_further(patient_client):
    response = patient_client.get("/history/calendar/?month=1900-01")
    assert response.context["month"] == date(1900, 1, 1)
    assert _month_links(response.content.decode()) == ["1900-02"]


def test_list_and_calendar_link_to_each_other_and_titles_hold_no_markup(patient_client):
    history = patient_client.get("/history/").content.decode()
    calendar = patient_client.get("/history/calendar/").content.decode()
    assert 'href="/history/calendar/"' in history and 'href="/history/"' in calendar
    for content in (history, calendar):
        title = re.search(r"<title>(.*?)</title>", content, re.S)[1]
        assert "<" not in title and ">" not in title
    assert "<title>History · Night Cramp Diary</title>" in history


def test_another_patient_sees_none_of_the_nights(other_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25), cramps=(CALF,)))
    response = other_client.get("/history/calendar/")
    assert all(cell.night is None for week in response.context["weeks"] for cell in week)
    assert "1 cramp" not in response.content.decode()


def test_clinicians_get_404(clinician_client):
    assert clinician_client.get("/history/calendar/").status_code == 404


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in(client):
    assert client.get("/history/calendar/").url == "/accounts/login/?next=/history/calendar/"


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_full_month_costs_the_same_queries_as_an_empty_one(
    patient_client, patient, other_client, other_patient
):
    rows = Night.objects.bulk_create(
        Night(patient=other_patient, date=date(2026, 10, 1) + timedelta(days=n)) for n in range(31)
    )
    Cramp.objects.bulk_create(
        Cramp(night=row, muscle="calf", side="left", duration_minutes=2, severity=5) for row in rows
    )
    counts = {}
    for nights, client in ((0, patient_client), (31, other_client)):
        client.get("/history/calendar/?month=2026-10")  # the day's first visit refreshes prompts
        counts[nights] = _queries(client, "/history/calendar/?month=2026-10")
    assert counts[0] == counts[31]
    full = other_client.get("/history/calendar/?month=2026-10")
    assert full.context["nights_logged"] == 31 and full.context["cramp_nights"] == 31


def test_a_night_with_a_warning_sign_carries_a_mark(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25), red_flags={"dark_urine"}))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 24), cramps=(CALF,)))
    content = patient_client.get("/history/calendar/").content.decode()
    cells = re.findall(r'<a href="/log/(\d{4}-\d{2}-\d{2})/"[^>]*>(.*?)</a>', content, re.S)
    marked = [day for day, inside in cells if 'class="sign-mark"' in inside]
    assert marked == ["2026-11-25"]
    assert "a warning sign" in content
