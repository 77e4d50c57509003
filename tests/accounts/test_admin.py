import pytest

from accounts.models import Role, User
from diary.models import HealthProfile


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


def test_the_delete_confirmation_shows_no_diary_contents(admin_client, patient):
    from datetime import date

    from diary.domain.records import CrampRecord, NightRecord
    from diary.services.nights import night_save

    cramp = CrampRecord("calf", "left", 4, 9, True)
    night_save(
        patient=patient, record=NightRecord(date(2026, 11, 20), notes="secret", cramps=(cramp,))
    )
    for page in (
        admin_client.get(f"/admin/accounts/user/{patient.pk}/delete/"),
        admin_client.post(
            "/admin/accounts/user/",
            {"action": "delete_selected", "_selected_action": [patient.pk]},
        ),
    ):
        content = page.content.decode()
        assert page.status_code == 200 and patient.email in content or "Alice" in content
        for private in ("Calf", "9/10", "secret", "night of", "Cramp", "Night"):
            assert private not in content, private
