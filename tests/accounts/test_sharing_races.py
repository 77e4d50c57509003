"""Sharing at the same moment twice, on PostgreSQL: every request is answered, one link stays.

A double tap on "share", an e-mail offer accepted while the patient shares by code, a new
clinician's first dashboards loading together: each used to answer 500 or show a code that
was never stored. SQLite serialises all writes itself; these run on PostgreSQL.
"""

import pytest
from django.test import Client

from accounts.models import CareLink, LinkStatus, User
from accounts.sharing import care_link_offer, share_code_for
from tests.diary.test_races import _at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _share_by_code(client, code, answers):
    response = client.post("/sharing/code/", {"code": code, "confirm": "yes"})
    answers.append(response.status_code)


def test_share_by_code_tapped_twice_at_once_shares_once(patient, clinician):
    code = share_code_for(clinician)
    clients = [_signed_in(patient) for _ in range(6)]
    answers = []
    calls = [lambda c=c: _share_by_code(c, code, answers) for c in clients]
    assert _at_once(*calls) == []
    assert answers == [302] * 6
    active = CareLink.objects.filter(patient=patient, status=LinkStatus.ACTIVE)
    assert list(active.values_list("clinician", flat=True)) == [clinician.pk]


def test_an_offer_accepted_while_the_patient_shares_by_code_leaves_one_link(patient, clinician):
    code = share_code_for(clinician)
    answers = []
    for _ in range(4):
        CareLink.objects.filter(patient=patient).delete()
        offer = care_link_offer(patient=patient, email=clinician.email)
        patient_side, clinician_side = _signed_in(patient), _signed_in(clinician)

        def accept(offer=offer, client=clinician_side):
            response = client.post(f"/clinic/offers/{offer.pk}/answer/", {"answer": "accept"})
            answers.append(response.status_code)

        calls = [lambda client=patient_side: _share_by_code(client, code, answers), accept]
        assert _at_once(*calls) == []
        active = CareLink.objects.filter(patient=patient, status=LinkStatus.ACTIVE)
        assert active.count() == 1
        assert not CareLink.objects.filter(patient=patient, status=LinkStatus.PENDING).exists()
    assert answers == [302] * 8


def test_a_new_clinicians_dashboards_loading_together_show_one_stored_code(clinician):
    clients = [_signed_in(clinician) for _ in range(8)]
    pages = []
    calls = [lambda c=c: pages.append(c.get("/clinic/").content.decode()) for c in clients]
    assert _at_once(*calls) == []
    stored = User.objects.get(pk=clinician.pk).share_code
    assert stored and len(pages) == 8
    shown = f"{stored[:4]} {stored[4:]}"
    assert all(shown in page for page in pages)
