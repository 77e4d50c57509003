"""A request body in an encoding forms are never sent in gets a plain 400 page, never a 500.

Django refuses a form body declared as anything but UTF-8 the first time request.POST is read
(the CSRF check reads it); the page that says so must not read the body again. The clients
check CSRF tokens, as browsers' requests are checked, and hold a CSRF cookie, as any visitor
who opened a page does.
"""

import pytest
from django.test import Client

UTF16_FORM = "application/x-www-form-urlencoded; charset=utf-16"


def _utf16_post(client, path):
    client.cookies["csrftoken"] = "a" * 32
    return client.post(path, "email=a%40b.org&code=K7PQ", content_type=UTF16_FORM)


def _signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/"])
def test_a_utf16_form_to_an_anonymous_page_is_a_plain_400(path):
    response = _utf16_post(Client(enforce_csrf_checks=True), path)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Bad request" in page and "could not be read" in page


@pytest.mark.parametrize("path", ["/log/", "/sharing/code/", "/diary/import/"])
def test_a_utf16_form_from_a_signed_in_patient_is_a_plain_400(patient, path):
    response = _utf16_post(_signed_in(patient), path)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_a_utf16_form_to_a_clinicians_page_is_a_plain_400(clinician):
    response = _utf16_post(_signed_in(clinician), "/clinic/ask/")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


@pytest.mark.django_db
def test_a_utf16_form_to_no_page_is_a_plain_404():
    response = _utf16_post(Client(enforce_csrf_checks=True), "/nowhere/")
    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()
