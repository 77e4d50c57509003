"""What a new patient sees: no weeks from before the diary began, no rate from two nights."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from accounts.models import User
from accounts.sharing import care_link_create
from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CALF = CrampRecord("calf", "left", 3, 6, True)


@pytest.fixture
def newcomer(db, clock):
    clock(MORNING)
    user = User.objects.create_user(
        email="new@example.org",
        password="x",
        full_name="Nell Newcomer",
        time_zone="Europe/London",
        date_joined=datetime(2026, 11, 25, 20, 0, tzinfo=UTC),  # three days ago
    )
    client = Client()
    client.force_login(user)
    return user, client


def test_right_after_sign_up_the_range_starts_the_night_before_it(newcomer):
    _user, client = newcomer
    report = client.get("/trends/").context["report"]
    assert report.first == date(2026, 11, 24) and report.last == date(2026, 11, 27)
    assert report.stats.nights_in_range == 4


@pytest.mark.parametrize("choice", ["30", "90", "365", "all"])
def test_every_range_starts_no_earlier_than_the_diary(newcomer, choice):
    user, client = newcomer
    night_save(patient=user, record=NightRecord(date(2026, 11, 26), cramps=(CALF,)))
    response = client.get(f"/trends/?range={choice}")
    assert response.context["report"].first == date(2026, 11, 26)  # the first logged night
    if choice != "all":
        assert "Your diary starts on 26 Nov 2026" in response.content.decode()


def test_a_night_logged_before_sign_up_starts_the_diary_there(newcomer):
    user, client = newcomer
    night_save(patient=user, record=NightRecord(date(2026, 11, 10), cramps=(CALF,)))
    assert client.get("/trends/?range=30").context["report"].first == date(2026, 11, 10)


def test_two_nights_give_no_weekly_rate_and_seven_do(newcomer):
    user, client = newcomer
    for day in (26, 27):
        night_save(patient=user, record=NightRecord(date(2026, 11, day), cramps=(CALF,)))
    for path in ("/trends/", "/"):
        content = client.get(path).content.decode()
        assert "too few nights yet" in content, path
        assert '<span class="big">7.0' not in content and "7.0 cramps a week" not in content
    user.date_joined = datetime(2026, 11, 1, tzinfo=UTC)
    user.save()
    for day in range(20, 26):
        night_save(patient=user, record=NightRecord(date(2026, 11, day)))
    trends = client.get("/trends/")
    assert trends.context["report"].stats.rate_known
    assert "too few nights yet" not in trends.content.decode()


def test_the_clinician_sees_the_nights_since_the_diary_began(newcomer, clinician):
    user, _client = newcomer
    for day in (26, 27):
        night_save(patient=user, record=NightRecord(date(2026, 11, day), cramps=(CALF,)))
    care_link_create(patient=user, clinician=clinician)
    doctor = Client()
    doctor.force_login(clinician)
    report = doctor.get(f"/clinic/patients/{user.public_id}/").context["report"]
    assert (report.stats.nights_logged, report.stats.nights_in_range) == (2, 2)


def test_the_home_chart_shows_no_weeks_from_before_the_diary(newcomer):
    _user, client = newcomer
    report = client.get("/").context["report"]
    # The diary's first night (the night before sign-up), not the Monday of its week: no
    # hatched "not logged" nights from before the account existed.
    assert report.first == date(2026, 11, 24)
