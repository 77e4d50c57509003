"""An account whose e-mail address is not confirmed cannot share its diary: a clinician would
see a name and an address that nobody has checked (anyone can sign up as anyone)."""

import pytest
from django.test import Client

from accounts.models import CareLink, LinkStatus, User
from accounts.sharing import care_link_offer, share_code_for
from accounts.verification import email_confirm
from tests.conftest import PASSWORD

NOT_YET = "You can share your diary once you have confirmed your e-mail address"


@pytest.fixture
def impostor(db):
    return User.objects.create_user(
        "impostor@example.org", PASSWORD, full_name="Dr Who's Patient", email_verified=False
    )


@pytest.fixture
def impostor_client(impostor):
    client = Client()
    client.force_login(impostor)
    return client


def test_the_sharing_page_says_sharing_waits_for_the_confirmation(impostor_client):
    page = impostor_client.get("/sharing/").content.decode()
    assert NOT_YET in page


def test_an_offer_by_email_is_refused_until_the_address_is_confirmed(impostor_client, clinician):
    response = impostor_client.post("/sharing/email/", {"email": clinician.email})
    assert response.status_code == 400
    assert NOT_YET in response.content.decode()
    assert not CareLink.objects.exists()


def test_sharing_by_code_is_refused_until_the_address_is_confirmed(impostor_client, clinician):
    code = share_code_for(clinician)
    for form in ({"code": code}, {"code": code, "confirm": "yes"}):
        response = impostor_client.post("/sharing/code/", form)
        assert response.status_code == 400
        page = response.content.decode()
        assert NOT_YET in page and clinician.full_name not in page
    assert not CareLink.objects.exists()


def test_an_offer_made_before_confirming_stays_hidden_from_the_clinician_until_then(
    impostor, clinician, clinician_client
):
    # Offers kept from before the rule: the clinician sees neither the name nor the e-mail.
    offer = CareLink.objects.create(
        patient=impostor,
        invited_email=clinician.email,
        asked_by="patient",
        status=LinkStatus.PENDING,
    )
    page = clinician_client.get("/clinic/").content.decode()
    assert impostor.full_name not in page.replace("&#x27;", "'")
    assert impostor.email not in page
    response = clinician_client.post(f"/clinic/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 404
    assert not CareLink.objects.filter(status=LinkStatus.ACTIVE).exists()

    email_confirm(user=impostor)
    page = clinician_client.get("/clinic/").content.decode()
    assert impostor.email in page
    clinician_client.post(f"/clinic/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert CareLink.objects.get(pk=offer.pk).status == LinkStatus.ACTIVE


def test_a_confirmed_patient_offers_as_before(patient_client, patient, clinician):
    assert NOT_YET not in patient_client.get("/sharing/").content.decode()
    patient_client.post("/sharing/email/", {"email": clinician.email})
    assert care_link_offer(patient=patient, email=clinician.email).status == LinkStatus.PENDING


def test_a_link_made_before_confirming_shows_nothing_to_the_clinician_until_then(
    impostor, clinician, clinician_client
):
    # A link kept from before the rule: the dashboard and the patient's pages stay closed.
    CareLink.objects.create(
        patient=impostor, clinician=clinician, asked_by="patient", status=LinkStatus.ACTIVE
    )
    page = clinician_client.get("/clinic/").content.decode()
    assert "Who&#x27;s Patient" not in page and impostor.email not in page
    summary = f"/clinic/patients/{impostor.public_id}/"
    assert clinician_client.get(summary).status_code == 404
    email_confirm(user=impostor)
    assert "Who&#x27;s Patient" in clinician_client.get("/clinic/").content.decode()
    assert clinician_client.get(summary).status_code == 200
