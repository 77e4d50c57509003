import pytest

from accounts.models import Role, User
from diary.models import HealthProfile


def _form(**overrides):
    return {
        "full_name": "Dora Newcomer",
        "email": "Dora@Example.org",
        "time_zone": "America/Chicago",
        "password1": "cramps-at-night-2026",
        "password2": "cramps-at-night-2026",
        **overrides,
    }


@pytest.mark.django_db
def test_it_creates_a_patient_signs_them_in_and_offers_the_first_run_page(client):
    response = client.post("/accounts/signup/", _form())
    assert response.status_code == 302 and response.url == "/start/"
    user = User.objects.get()
    assert user.email == "dora@example.org"
    assert user.role == Role.PATIENT
    assert user.time_zone == "America/Chicago"
    assert HealthProfile.objects.filter(patient=user).exists()
    assert client.get("/").context["user"] == user


@pytest.mark.django_db
def test_it_offers_the_detected_time_zone_list(client):
    response = client.get("/accounts/signup/")
    assert b"data-detect-time-zone" in response.content
    assert b"js/time-zone.js" in response.content


def test_an_email_in_use_is_never_revealed_on_the_page_but_told_by_email(
    client, patient, mailoutbox
):
    response = client.post("/accounts/signup/", _form(email="ALICE@example.org"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Check your e-mail" in content and "already" not in content
    assert User.objects.count() == 1 and not response.wsgi_request.user.is_authenticated
    [mail] = mailoutbox
    assert mail.to == ["alice@example.org"] and "already have" in mail.subject
    assert "/accounts/password_reset/" in mail.body


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_a_weak_password_is_refused(client, password):
    response = client.post("/accounts/signup/", _form(password1=password, password2=password))
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_mismatched_passwords_are_refused(client):
    response = client.post("/accounts/signup/", _form(password2="something-else-entirely"))
    assert "didn’t match" in response.context["form"].errors["password2"][0]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused(client):
    response = client.post("/accounts/signup/", _form(time_zone="Mars/Olympus_Mons"))
    assert response.context["form"].errors["time_zone"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_nobody_can_sign_up_as_a_clinician(client):
    client.post("/accounts/signup/", _form(role="clinician"))
    assert User.objects.get().role == Role.PATIENT


def test_a_signed_in_user_is_sent_home(patient_client):
    response = patient_client.get("/accounts/signup/")
    assert response.status_code == 302 and response.url == "/"
