from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diary.domain.records import CrampRecord, NightRecord
from diary.models import Cramp, Night
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)
CALF = CrampRecord("calf", "left", 3, 6, True)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def test_history_shows_nights_newest_first_with_unlogged_nights_between(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    night_save(
        patient=patient,
        record=NightRecord(date(2026, 11, 25), cramps=(CALF, CrampRecord("foot", "right", 1.5, 8))),
    )
    response = patient_client.get("/history/")
    days = response.context["days"]
    assert [day for day, _ in days] == [date(2026, 11, 27), date(2026, 11, 26), date(2026, 11, 25)]
    assert [record is None for _, record in days] == [False, True, False]
    content = response.content.decode()
    assert "no cramps" in content and "not logged" in content
    assert "2 cramps, worst 8/10, 4.5 min in all" in content
    assert "Calf (left) · Foot (right)" in content
    assert 'href="/log/2026-11-26/"' in content  # back-fill the unlogged night


def test_history_of_a_new_patient_invites_the_first_log(patient_client):
    response = patient_client.get("/history/")
    assert "Nothing logged yet" in response.content.decode()
    assert [day for day, _ in response.context["days"]] == [LAST_NIGHT]


def test_history_pages_back_four_weeks_at_a_time(patient_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT - timedelta(days=40)))
    first = patient_client.get("/history/")
    assert len(first.context["days"]) == 28 and first.context["page"].has_next()
    second = patient_client.get("/history/?page=2")
    assert second.context["days"][0][0] == LAST_NIGHT - timedelta(days=28)
    assert second.context["days"][-1][0] == LAST_NIGHT - timedelta(days=40)
    assert patient_client.get("/history/?page=banana").status_code == 200


def test_history_never_shows_another_patients_nights(other_client, patient):
    night_save(patient=patient, record=NightRecord(LAST_NIGHT, notes="x", cramps=(CALF,)))
    response = other_client.get("/history/")
    assert all(record is None for _, record in response.context["days"])


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in(client):
    assert client.get("/history/").url == "/accounts/login/?next=/history/"


def test_clinicians_get_404(clinician_client):
    assert clinician_client.get("/history/").status_code == 404


def _diary_of(patient, nights):
    rows = Night.objects.bulk_create(
        Night(patient=patient, date=LAST_NIGHT - timedelta(days=n)) for n in range(nights)
    )
    Cramp.objects.bulk_create(
        Cramp(night=row, muscle="calf", side="left", duration_minutes=2, severity=5)
        for row in rows[::2]
    )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/", "/log/", "/history/", "/history/?page=3", "/prompts/", "/trends/", "/trends/?range=all"],
)
def test_pages_issue_the_same_bounded_number_of_queries_for_10_or_1000_nights(
    patient_client, patient, other_patient, django_assert_max_num_queries, path
):
    counts = {}
    for owner, nights in ((other_patient, 10), (patient, 1000)):
        _diary_of(owner, nights)
        client = Client()
        client.force_login(owner)
        stale = _queries(client, path)  # the first visit of the day evaluates the prompts
        with django_assert_max_num_queries(9):  # 8, and the treatments the charts draw
            client.get(path)
        assert stale <= 26  # the page, plus evaluating and storing the prompts (which read the
        # profile and the treatments besides the nights)
        counts[nights] = _queries(client, path)
    assert counts[10] == counts[1000]


def test_a_night_with_a_warning_sign_is_marked_and_others_are_not(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 26), red_flags={"leg_swollen"}))
    content = patient_client.get("/history/").content.decode()
    assert content.count("warning sign</span>") == 1
    marked = content.index("warning sign</span>")
    assert content.rindex("Thu 26 Nov", 0, marked) > content.rindex("Fri 27 Nov", 0, marked)


def test_the_buttons_accessible_names_start_with_their_visible_words(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25)))  # 26th: not logged
    content = patient_client.get("/history/").content.decode()
    assert 'Change<span class="visually-hidden">: the night of Friday 27 November</span>' in content
    assert (
        'Log it<span class="visually-hidden">: the night of Thursday 26 November</span>' in content
    )
    assert 'aria-label="Log the night' not in content and 'aria-label="Change the' not in content
