"""How long a sign-in lasts: a working day for clinicians and for anyone who can use the admin,
however they signed in."""

from accounts.models import User
from tests.conftest import PASSWORD

TEN_HOURS = 10 * 60 * 60


def test_a_superuser_signed_in_through_the_admin_login_has_ten_hours(client, db):
    User.objects.create_superuser("root@example.org", PASSWORD, full_name="Site Admin")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root@example.org", "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.session.get_expiry_age() == TEN_HOURS
    assert client.get("/admin/").status_code == 200


def test_a_clinician_signed_in_through_the_admin_login_has_ten_hours(client, clinician):
    clinician.is_staff = True
    clinician.save()
    client.post("/admin/login/", {"username": clinician.email, "password": PASSWORD})
    assert client.session.get_expiry_age() == TEN_HOURS


def test_a_staff_patient_signed_in_on_the_sign_in_page_has_ten_hours(client, patient):
    patient.is_staff = True
    patient.save()
    client.post("/accounts/login/", {"username": patient.email, "password": PASSWORD})
    assert client.session.get_expiry_age() == TEN_HOURS


def test_a_clinician_signed_in_on_the_sign_in_page_has_ten_hours(client, clinician):
    client.post("/accounts/login/", {"username": clinician.email, "password": PASSWORD})
    assert client.session.get_expiry_age() == TEN_HOURS
