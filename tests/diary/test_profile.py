import pytest

from accounts.models import User
from diary.models import HealthProfile


def _form(**overrides):
    return {
        "account-full_name": "Alice B. Walker",
        "account-time_zone": "Australia/Sydney",
        "health-venous_disease": "on",
        "health-date_of_birth": "1951-03-02",
        **overrides,
    }


def test_a_patient_saves_name_time_zone_and_health_profile(patient_client, patient):
    response = patient_client.post("/accounts/profile/", _form())
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.full_name, patient.time_zone) == ("Alice B. Walker", "Australia/Sydney")
    health = patient.health_profile
    assert health.venous_disease and not health.pregnant
    assert str(health.date_of_birth) == "1951-03-02"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("health-date_of_birth", "2999-01-01"),
        ("health-date_of_birth", "1850-01-01"),
        ("health-date_of_birth", "not a date"),
        ("account-time_zone", "Nowhere/Special"),
        ("account-full_name", ""),
    ],
)
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    patient_client, patient, field, value
):
    response = patient_client.post("/accounts/profile/", _form(**{field: value}))
    assert response.status_code == 200
    form_name = "account_form" if field.startswith("account") else "health_form"
    assert response.context[form_name].errors[field.split("-", 1)[1]]
    patient.refresh_from_db()
    assert patient.full_name == "Alice Walker" and patient.time_zone == "Europe/London"
    assert not patient.health_profile.venous_disease


def test_a_clinician_edits_name_and_time_zone_but_has_no_health_profile(
    clinician_client, clinician
):
    page = clinician_client.get("/accounts/profile/")
    assert page.context["health_form"] is None
    clinician_client.post(
        "/accounts/profile/",
        {"account-full_name": "Dr Carol Jones-Smith", "account-time_zone": "Europe/Dublin"},
    )
    assert User.objects.get(pk=clinician.pk).time_zone == "Europe/Dublin"
    assert not HealthProfile.objects.filter(patient=clinician).exists()


def test_a_patient_made_in_the_admin_gets_a_health_profile_on_first_visit(client, db):
    user = User.objects.create(email="late@example.org", full_name="Late Comer")
    client.force_login(user)
    assert client.get("/accounts/profile/").status_code == 200
    assert HealthProfile.objects.filter(patient=user).exists()


def test_the_new_health_answers_are_saved_and_counted_by_the_rules(patient_client, patient):
    response = patient_client.post(
        "/accounts/profile/",
        _form(
            **{
                "health-pregnant": "on",
                "health-pregnancy_date": "2027-03-01",
                "health-kidney_disease": "on",
                "health-medications": ["statin", "diuretic"],
            }
        ),
    )
    assert response.status_code == 302
    health = HealthProfile.objects.get(patient=patient)
    assert health.pregnant and str(health.pregnancy_date) == "2027-03-01"
    assert health.kidney_disease
    assert health.medications == {"statin", "diuretic"}
    page = patient_client.get("/accounts/profile/").content.decode()
    assert 'value="statin"' in page and "checked" in page


PREGNANT = {"health-pregnant": "on"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"health-pregnancy_date": "2027-03-01"}, "pregnancy_date", "Tick"),
        ({**PREGNANT, "health-pregnancy_date": "2030-01-01"}, "pregnancy_date", "check the date"),
        ({**PREGNANT, "health-pregnancy_date": "2020-01-01"}, "pregnancy_date", "check the date"),
        ({"health-medications": ["quinine"]}, "medications", "pick"),
    ],
)  # fmt: skip
def test_pregnancy_dates_and_medicines_are_checked(
    patient_client, patient, overrides, field, message
):
    response = patient_client.post("/accounts/profile/", _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["health_form"].errors[field])
    health = HealthProfile.objects.get(patient=patient)
    assert not health.pregnant and health.pregnancy_date is None and not health.medications


def test_the_profile_asks_again_twelve_weeks_after_the_birth_date(patient_client, patient, clock):
    from datetime import UTC, date, datetime

    health = patient.health_profile
    health.pregnant, health.pregnancy_date = True, date(2026, 10, 1)
    health.save()
    clock(datetime(2026, 12, 24, 12, tzinfo=UTC))  # 84 days after: still counts
    page = patient_client.get("/accounts/profile/").content.decode()
    assert "pregnancy-lapsed" not in page
    assert "since you gave birth" in page and "while pregnant" not in page
    clock(datetime(2026, 12, 25, 12, tzinfo=UTC))  # 85 days after: asks again
    page = patient_client.get("/accounts/profile/").content.decode()
    assert "pregnancy-lapsed" in page
    assert "More than 12 weeks have passed" in page
