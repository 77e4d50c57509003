"""The first-run page after sign-up: optional health answers and the reminder, then Home."""

from datetime import date, time

from diary.models import HealthProfile
from diary.web.forms import START_CONDITIONS


def _answers(**overrides):
    return {
        "veins": ["venous_disease"],
        "conditions": ["kidney_disease", "heart_failure"],
        "medications": ["statin", "diuretic"],
        "pregnancy": [],
        "date_of_birth": "1956-04-12",
        "reminders_on": "on",
        "reminder_time": "06:45",
        **overrides,
    }


def test_the_first_run_page_offers_a_skip_and_the_home_screen_steps(patient_client):
    content = patient_client.get("/start/").content.decode()
    assert 'href="/"' in content and "Skip for now" in content
    assert "Add to your home screen" in content
    assert "Add to Home screen" in content and "Add to Home Screen" in content  # Android, iPhone


def test_every_condition_chip_is_a_yes_no_answer_of_the_health_profile():
    """A new condition (heart failure, say) is one more entry in START_CONDITIONS."""
    names = {field.name for field in HealthProfile._meta.get_fields()}
    assert {name for name, _label in START_CONDITIONS} <= names


def test_the_answers_are_saved_to_the_profile_and_the_account(patient_client, patient):
    response = patient_client.post("/start/", _answers())
    assert response.status_code == 302 and response.url == "/"
    profile = HealthProfile.objects.get(patient=patient)
    assert profile.venous_disease and profile.kidney_disease and profile.heart_failure
    assert not profile.peripheral_artery_disease and not profile.pregnant
    assert profile.medications == {"statin", "diuretic"}
    assert profile.date_of_birth == date(1956, 4, 12)
    patient.refresh_from_db()
    assert patient.reminders_on and patient.reminder_time == time(6, 45)


def test_nothing_ticked_leaves_everything_unticked(patient_client, patient):
    patient_client.post("/start/", _answers())
    patient_client.post("/start/", {})
    profile = HealthProfile.objects.get(patient=patient)
    assert not (profile.venous_disease or profile.kidney_disease or profile.medications)
    patient.refresh_from_db()
    assert not patient.reminders_on


def test_a_bad_answer_is_shown_beside_its_field_and_nothing_is_saved(patient_client, patient):
    response = patient_client.post(
        "/start/", _answers(date_of_birth="2099-01-01", conditions=["gout"])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "date_of_birth" in form.errors and "conditions" in form.errors
    assert not HealthProfile.objects.get(patient=patient).venous_disease


def test_the_first_run_page_is_the_patients_own(clinician_client, client):
    assert clinician_client.get("/start/").status_code in (403, 404)
    response = client.get("/start/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
