from datetime import UTC, date, datetime

import pytest

from diary.domain.records import CrampRecord, NightRecord
from diary.services.nights import night_save

MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


@pytest.mark.django_db
def test_a_visitor_sees_what_the_diary_is_with_sign_in_and_sign_up(client):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/accounts/login/" in content and "/accounts/signup/" in content
    assert content.count("<h1") == 1


def test_a_patient_who_has_not_logged_last_night_is_asked(patient_client):
    content = patient_client.get("/").content.decode()
    assert "How was last night?" in content
    assert 'action="/log/2026-11-27/no-cramps/"' in content
    assert 'href="/log/"' in content


def test_a_patient_who_logged_last_night_sees_it_with_a_way_to_edit(patient_client, patient):
    cramp = CrampRecord("calf", "left", 3, 6)
    night_save(patient=patient, record=NightRecord(date(2026, 11, 27), cramps=(cramp,)))
    content = patient_client.get("/").content.decode()
    assert "Last night logged" in content and "1 cramp, worst 6/10, 3 min in all" in content
    assert "Change last night" in content


def test_the_home_page_shows_the_last_seven_nights_at_a_glance(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 21)))
    night_save(patient=patient, record=NightRecord(date(2026, 11, 20)))  # eight nights ago
    glance = patient_client.get("/").context["glance"]
    # Oldest on the left, as the chart under it runs.
    assert [day for day, _ in glance][0] == date(2026, 11, 21)
    assert [day for day, _ in glance][-1] == date(2026, 11, 27)
    assert [record is not None for _, record in glance] == [True] + [False] * 6


def test_a_new_patients_home_starts_at_the_diarys_first_night(patient_client, patient):
    patient.date_joined = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # this morning
    patient.save()
    response = patient_client.get("/")
    assert [day for day, _ in response.context["glance"]] == [date(2026, 11, 27)]
    content = response.content.decode()
    assert content.count("not logged") == 1
    assert "Your chart starts with the first night you log." in content
    assert "<svg" not in content


def test_the_chart_starts_at_the_diarys_first_night(patient_client, patient):
    night_save(patient=patient, record=NightRecord(date(2026, 11, 25)))
    report = patient_client.get("/").context["report"]
    assert report.first == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("hour", "greeting"),
    [
        (9, "Good morning, "),
        (14, "Good afternoon, "),
        (21, "Good evening, "),
        (2, "Good evening, "),
    ],
)
def test_the_greeting_fits_the_patients_own_hour(patient_client, patient, clock, hour, greeting):
    patient.time_zone = "America/Chicago"  # UTC-6 in November
    patient.save()
    clock(datetime(2026, 11, 28, (hour + 6) % 24, 0, tzinfo=UTC))
    assert greeting in patient_client.get("/").content.decode()


def test_a_clinician_is_sent_to_the_clinic(clinician_client):
    response = clinician_client.get("/")
    assert response.status_code == 302 and response.url == "/clinic/"
    assert clinician_client.get("/clinic/").status_code == 200


def test_pages_carry_a_skip_link_and_a_strict_content_security_policy(patient_client):
    response = patient_client.get("/")
    assert 'href="#main"' in response.content.decode()
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
