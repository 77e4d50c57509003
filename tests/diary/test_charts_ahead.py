"""After a change to the diary the task worker draws the trends page's charts, so that the
patient's next look finds them drawn instead of drawing four in the request (issue "ten times
the clinic": the morning peak)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from diary.domain.records import CrampRecord, NightRecord
from diary.services import reports
from diary.services.nights import night_save
from diary.services.reports import charts_ahead_draw
from tests.prepared import run_worker

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LAST_NIGHT = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.fixture
def drawn(monkeypatch):
    """The charts drawn from here on, by name."""
    names = []
    draw = reports._draw

    def counted(report, name, fmt):
        names.append(name)
        return draw(report, name, fmt)

    monkeypatch.setattr(reports, "_draw", counted)
    return names


def _save_a_cramp(patient, django_capture_on_commit_callbacks, nights_ago=0):
    record = NightRecord(
        LAST_NIGHT - timedelta(days=nights_ago),
        cramps=(CrampRecord("calf", "left", 2, 6, True, frozenset({"massage"}), "some"),),
    )
    with django_capture_on_commit_callbacks(execute=True):
        night_save(patient=patient, record=record)


def test_a_save_queues_the_drawing_and_the_next_look_draws_nothing(
    settings, patient, patient_client, drawn, django_capture_on_commit_callbacks
):
    settings.CHARTS_DRAWN_AHEAD = True
    _save_a_cramp(patient, django_capture_on_commit_callbacks, nights_ago=1)
    _save_a_cramp(patient, django_capture_on_commit_callbacks)
    queued = DBTaskResult.objects.filter(task_path="diary.tasks.draw_charts_ahead")
    assert [task.args_kwargs for task in queued] == [{"args": [patient.pk], "kwargs": {}}] * 2
    run_worker()
    # The trends page's four and the home page's (here the same numbers as the trends
    # page's frequency chart: one drawing); the second task found them drawn.
    assert sorted(drawn) == sorted(reports.CHART_NAMES)
    drawn.clear()
    assert patient_client.get("/trends/").status_code == 200
    assert patient_client.get("/").status_code == 200
    assert drawn == []


def test_without_the_task_the_page_draws_them(
    settings, patient, patient_client, drawn, django_capture_on_commit_callbacks
):
    """The other side of the test above: the count sees a page drawing its charts."""
    settings.CHARTS_DRAWN_AHEAD = False
    _save_a_cramp(patient, django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.filter(task_path="diary.tasks.draw_charts_ahead").exists()
    assert patient_client.get("/trends/").status_code == 200
    assert patient_client.get("/").status_code == 200
    assert sorted(drawn) == sorted(reports.CHART_NAMES)


def test_the_charts_are_drawn_in_the_patients_language(
    settings, patient, patient_client, drawn, django_capture_on_commit_callbacks
):
    settings.CHARTS_DRAWN_AHEAD = True
    patient.language = "es"
    patient.save(update_fields=["language"])
    _save_a_cramp(patient, django_capture_on_commit_callbacks)
    run_worker()
    drawn.clear()
    page = patient_client.get("/trends/")
    assert page["Content-Language"] == "es"
    assert patient_client.get("/").status_code == 200
    assert drawn == []


def test_a_diary_that_starts_within_the_range_is_drawn_from_its_first_night(
    settings, patient, patient_client, drawn, django_capture_on_commit_callbacks
):
    """The page moves a range that starts before the diary to its first night: the task
    draws that same range."""
    settings.CHARTS_DRAWN_AHEAD = True
    _save_a_cramp(patient, django_capture_on_commit_callbacks, nights_ago=3)
    run_worker()
    drawn.clear()
    assert patient_client.get("/trends/").status_code == 200
    assert patient_client.get("/").status_code == 200
    assert drawn == []


@pytest.mark.django_db
def test_an_account_gone_draws_nothing(drawn):
    charts_ahead_draw(10_000)
    assert drawn == []


def test_the_home_pages_eight_weeks_are_drawn_too(
    settings, patient, patient_client, drawn, django_capture_on_commit_callbacks
):
    """A diary longer than the trends page's 30 nights: the home page's 8 weeks are another
    frequency chart, drawn by the task as well."""
    settings.CHARTS_DRAWN_AHEAD = True
    _save_a_cramp(patient, django_capture_on_commit_callbacks, nights_ago=40)
    _save_a_cramp(patient, django_capture_on_commit_callbacks)
    run_worker()
    assert sorted(drawn) == sorted([*reports.CHART_NAMES, "frequency"])
    drawn.clear()
    assert patient_client.get("/").status_code == 200
    assert patient_client.get("/trends/").status_code == 200
    assert drawn == []
