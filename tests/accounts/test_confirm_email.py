"""A self-made account confirms its e-mail before it sees or answers clinicians' requests."""

import re
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command

from accounts.models import CareLink, LinkStatus, User
from accounts.sharing import care_link_request
from accounts.verification import confirmation_token, user_for_token

SIGN_UP = {
    "full_name": "Ivy Imposter",
    "email": "asked@example.org",
    "time_zone": "Europe/London",
    "password1": "cramps-at-night-2026",
    "password2": "cramps-at-night-2026",
}


def _link(mail) -> str:
    return re.search(r"http://testserver(/accounts/confirm/\S+/)", mail.body).group(1)


@pytest.fixture
def asked(clinician):
    """A clinician has asked asked@example.org to share, before anyone signed up with it."""
    care_link_request(clinician=clinician, email="asked@example.org")
    return CareLink.objects.get(invited_email="asked@example.org")


def test_a_new_account_sees_no_request_until_it_confirms_its_address(client, asked, mailoutbox):
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302
    user = User.objects.get(email="asked@example.org")
    assert not user.email_verified
    page = client.get("/sharing/").content.decode()
    assert "Dr Carol Jones" not in page and "Confirm your e-mail address" in page
    assert client.post(f"/sharing/{asked.pk}/answer/", {"answer": "accept"}).status_code == 404
    asked.refresh_from_db()
    assert asked.status == LinkStatus.PENDING

    [mail] = mailoutbox
    link = _link(mail)
    assert client.get(link).status_code == 200  # a page with a button: a GET confirms nothing
    user.refresh_from_db()
    assert not user.email_verified
    client.post(link)
    user.refresh_from_db()
    assert user.email_verified
    assert "Dr Carol Jones" in client.get("/sharing/").content.decode()


def test_a_forged_expired_or_outdated_link_confirms_nothing(client, patient, settings):
    patient.email_verified_at = None
    patient.save()
    forged = signing.dumps({"user": patient.pk, "email": patient.email}, salt="other")
    assert client.post(f"/accounts/confirm/{forged}/").status_code == 400
    token = confirmation_token(patient)
    patient.email = "changed@example.org"
    patient.save()
    assert client.post(f"/accounts/confirm/{token}/").status_code == 400
    patient.refresh_from_db()
    assert not patient.email_verified


def test_a_new_link_can_be_asked_for(client, db, mailoutbox):
    client.post("/accounts/signup/", SIGN_UP)
    client.post("/accounts/confirm/resend/")
    assert len(mailoutbox) == 2 and _link(mailoutbox[1])


@pytest.mark.django_db
def test_accounts_made_by_the_site_count_as_confirmed(tmp_path):
    call_command("create_clinician", "dr.new@example.org", "--name", "Dr New", stdout=StringIO())
    assert User.objects.get(email="dr.new@example.org").email_verified
    made = User.objects.create_user(email="x@example.org", full_name="X")
    assert made.email_verified


def test_a_link_older_than_a_week_confirms_nothing(patient, monkeypatch):
    token = confirmation_token(patient)
    assert user_for_token(token) == patient
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + 8 * 24 * 3600)
    assert user_for_token(token) is None


def test_confirmation_links_are_limited_to_three_an_hour_per_address(client, db, mailoutbox):
    client.post("/accounts/signup/", SIGN_UP)
    for _ in range(4):
        client.post("/accounts/confirm/resend/")
    assert len(mailoutbox) == 3  # the sign-up's, then two more
