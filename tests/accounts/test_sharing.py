"""Care links: made by code, offered or asked by e-mail, answered, stopped."""

import pytest
from django.http import Http404

from accounts.models import CareLink, LinkStatus
from accounts.sharing import (
    active_link,
    care_link_create,
    care_link_offer,
    care_link_request,
    care_link_stop,
    clinician_by_share_code,
    invitation_answer,
    share_code_for,
)


def test_a_share_code_is_made_once_and_found_however_it_is_typed(clinician):
    code = share_code_for(clinician)
    assert len(code) == 8 and share_code_for(clinician) == code
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert clinician_by_share_code(typed) == clinician
    assert clinician_by_share_code("NOPE0000") is None


def test_a_patient_has_no_share_code_to_be_found_by(patient):
    patient.share_code = "PATIENT1"
    patient.save()
    assert clinician_by_share_code("PATIENT1") is None


def test_sharing_twice_keeps_one_active_link(patient, clinician):
    first = care_link_create(patient=patient, clinician=clinician)
    assert care_link_create(patient=patient, clinician=clinician) == first
    assert CareLink.objects.filter(status=LinkStatus.ACTIVE).count() == 1


def test_an_offer_by_email_waits_for_the_clinician_to_accept(patient, clinician):
    offer = care_link_offer(patient=patient, email="DR.Carol@example.org")
    assert offer.status == LinkStatus.PENDING and offer.clinician is None
    link = invitation_answer(user=clinician, link_id=offer.pk, accept=True)
    assert (link.status, link.clinician, link.patient) == (LinkStatus.ACTIVE, clinician, patient)
    assert active_link(clinician=clinician, public_id=patient.public_id) == link


def test_a_request_by_email_waits_for_the_patient_to_accept_or_decline(patient, clinician):
    request = care_link_request(clinician=clinician, email=patient.email)
    declined = invitation_answer(user=patient, link_id=request.pk, accept=False)
    assert declined.status == LinkStatus.DECLINED
    with pytest.raises(Http404):
        active_link(clinician=clinician, public_id=patient.public_id)


def test_nobody_else_can_answer_an_invitation(patient, other_patient, clinician):
    request = care_link_request(clinician=clinician, email=patient.email)
    with pytest.raises(Http404):
        invitation_answer(user=other_patient, link_id=request.pk, accept=True)
    offer = care_link_offer(patient=patient, email="someone.else@example.org")
    with pytest.raises(Http404):
        invitation_answer(user=clinician, link_id=offer.pk, accept=True)


def test_stopping_ends_access_at_once(patient, clinician):
    link = care_link_create(patient=patient, clinician=clinician)
    care_link_stop(patient=patient, link_id=link.pk)
    with pytest.raises(Http404):
        active_link(clinician=clinician, public_id=patient.public_id)
    with pytest.raises(Http404):
        care_link_stop(patient=patient, link_id=link.pk)


def test_a_patient_cannot_stop_another_patients_link(patient, other_patient, clinician):
    link = care_link_create(patient=patient, clinician=clinician)
    with pytest.raises(Http404):
        care_link_stop(patient=other_patient, link_id=link.pk)


def test_the_public_id_is_random_and_not_the_database_key(patient, other_patient):
    assert patient.public_id != str(patient.pk) and len(patient.public_id) >= 16
    assert patient.public_id != other_patient.public_id


def test_offering_or_asking_twice_makes_one_invitation(patient, clinician):
    care_link_offer(patient=patient, email="dr.carol@example.org")
    care_link_offer(patient=patient, email="DR.CAROL@example.org")
    care_link_request(clinician=clinician, email=patient.email)
    care_link_request(clinician=clinician, email=patient.email)
    assert CareLink.objects.filter(status=LinkStatus.PENDING).count() == 2
