"""Who may open which page: visitors are sent to log in, the other role gets 404."""

import pytest

SIGNED_IN_PAGES = ["/accounts/profile/", "/accounts/password_change/"]
PATIENT_PAGES = [
    "/log/",
    "/log/2026-11-01/",
    "/history/",
    "/trends/",
    "/trends/frequency.png",
    "/prompts/",
    "/summary/",
    "/summary/pdf/",
    "/summary/csv/",
    "/summary/json/",
    "/diary/export/",
    "/diary/import/",
    "/sharing/",
]
CLINICIAN_PAGES = ["/clinic/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGNED_IN_PAGES + PATIENT_PAGES + CLINICIAN_PAGES)
def test_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", CLINICIAN_PAGES)
def test_a_patient_gets_404_on_clinician_pages(patient_client, path):
    assert patient_client.get(path).status_code == 404


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_a_clinician_gets_404_on_patient_pages(clinician_client, path):
    assert clinician_client.get(path).status_code == 404


@pytest.mark.parametrize("path", SIGNED_IN_PAGES + CLINICIAN_PAGES)
def test_a_clinician_may_open_clinician_and_account_pages(clinician_client, path):
    assert clinician_client.get(path).status_code == 200


@pytest.mark.parametrize("path", SIGNED_IN_PAGES + PATIENT_PAGES)
def test_a_patient_may_open_patient_and_account_pages(patient_client, path):
    # The PDF: the page that waits for the worker to prepare it.
    assert patient_client.get(path, follow=True).status_code == 200
