import pytest

from accounts.models import HealthProfile, Role, User


@pytest.fixture
def admin_client(client, db):
    admin = User.objects.create_superuser("admin@example.org", "admin-pass-2026", full_name="Ada")
    client.force_login(admin)
    return client


def test_a_site_admin_creates_a_clinician(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Dr.New@Example.org",
            "full_name": "Dr New",
            "role": "clinician",
            "time_zone": "Europe/London",
            "usable_password": "false",
        },
    )
    assert response.status_code == 302
    clinician = User.objects.get(email="dr.new@example.org")
    assert clinician.role == Role.CLINICIAN and not clinician.has_usable_password()
    assert not HealthProfile.objects.filter(patient=clinician).exists()


def test_the_role_cannot_be_changed_after_creation(admin_client, patient):
    page = admin_client.get(f"/admin/accounts/user/{patient.pk}/change/")
    assert page.status_code == 200
    assert "role" not in page.context["adminform"].form.fields
