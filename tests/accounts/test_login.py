from django.conf import settings

from tests.conftest import PASSWORD


def test_a_patient_signs_in_by_email_for_thirty_days(client, patient):
    response = client.post(
        "/accounts/login/", {"username": "Alice@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/"
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 24 * 3600
    assert client.get("/").context["user"] == patient


def test_a_clinician_session_ends_with_the_working_day(client, clinician):
    client.post("/accounts/login/", {"username": clinician.email, "password": PASSWORD})
    assert client.session.get_expiry_age() == settings.CLINICIAN_SESSION_AGE


def test_a_wrong_password_is_refused(client, patient):
    response = client.post("/accounts/login/", {"username": patient.email, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, patient):
    response = client.post(
        "/accounts/login/?next=/accounts/profile/",
        {"username": patient.email, "password": PASSWORD, "next": "/accounts/profile/"},
    )
    assert response.url == "/accounts/profile/"


def test_logout_needs_a_post_and_signs_out(patient_client):
    assert patient_client.get("/accounts/logout/").status_code == 405
    response = patient_client.post("/accounts/logout/")
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in patient_client.session


def test_ten_wrong_passwords_lock_that_account_from_that_address(client, patient, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        typed = patient.email.upper() if attempt % 2 else patient.email  # any spelling counts
        client.post("/accounts/login/", {"username": typed, "password": "guess"})
    response = client.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_reach_the_patient_from_elsewhere(client, patient, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": patient.email, "password": "guess"})
    elsewhere = client.__class__(REMOTE_ADDR="203.0.113.9")
    response = elsewhere.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_success_clears_earlier_failures(client, patient, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": patient.email, "password": "guess"})
    client.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": patient.email, "password": "guess"})
    response = client.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert response.status_code == 302
