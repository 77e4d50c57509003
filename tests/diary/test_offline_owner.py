"""A save belongs to the session that rendered its form (issue 23): every log form carries a
signed owner token naming the account and the session, and the server refuses (409, nothing
saved) a save whose token does not name the signed-in account's current session.

On a shared phone, a night kept offline by one patient must never be saved into the diary of
another who signed in later, nor a tap on a page kept from an ended session.
"""

import re
import uuid
from datetime import UTC, date, datetime
from importlib import import_module

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from diary.models import Night
from tests.diary.test_views_log import _cramp, _log


def _end_sessions():
    """Every session ends on the server, as at expiry: the rows go, the cookie stays."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.get_model_class().objects.all().delete()


MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # 09:00 in London
LAST_NIGHT = date(2026, 11, 27)
LOG = "/log/2026-11-27/"
NO_CRAMPS = "/log/2026-11-27/no-cramps/"


@pytest.fixture(autouse=True)
def _morning(clock):
    clock(MORNING)


def _owner(client, url="/log/") -> str:
    """The owner token of the page's log forms, as a browser would send it."""
    page = client.get(url).content.decode()
    tokens = set(re.findall(r'name="owner" value="([^"]+)"', page))
    assert len(tokens) == 1, "both log forms carry the one token of this page"
    return tokens.pop()


def _full_log(owner: str, **extra) -> dict:
    return {**_log(_cramp(0)), "owner": owner, "idempotency_key": str(uuid.uuid4()), **extra}


def _no_cramps(owner: str, **extra) -> dict:
    return {"owner": owner, "idempotency_key": str(uuid.uuid4()), **extra}


@pytest.mark.parametrize("url, data", [(LOG, _full_log), (NO_CRAMPS, _no_cramps)])
def test_a_save_with_the_token_of_its_own_session_is_saved(patient_client, patient, url, data):
    response = patient_client.post(url, data(_owner(patient_client)))
    assert response.status_code == 302 and response["Location"] == "/log/2026-11-27/saved/"
    assert Night.objects.filter(patient=patient, date=LAST_NIGHT).exists()


@pytest.mark.parametrize("url, data", [(LOG, _full_log), (NO_CRAMPS, _no_cramps)])
def test_a_night_kept_by_another_account_is_refused_and_nothing_is_saved(
    patient_client, other_client, patient, other_patient, url, data
):
    # Bob kept a night on the phone; Alice is signed in when it is sent.
    bobs = data(_owner(other_client), **{"night-notes": "Bob's private words"})
    response = patient_client.post(url, bobs)
    assert response.status_code == 409
    assert "Nothing was saved" in response.content.decode()
    assert "private words" not in response.content.decode()
    assert not Night.objects.exists()


@pytest.mark.parametrize("url, data", [(LOG, _full_log), (NO_CRAMPS, _no_cramps)])
def test_a_night_kept_by_an_ended_session_is_refused(patient, url, data):
    """Alice's session ended without signing out (its row gone); she signs in again: what the
    old session's page kept is not sent in the new one unless she asks (typed_by, below)."""
    phone = Client()
    phone.force_login(patient)
    kept = data(_owner(phone))
    _end_sessions()
    phone.force_login(patient)
    response = phone.post(url, kept)
    assert response.status_code == 409
    assert not Night.objects.exists()


def _tampered(token: str) -> list[str]:
    signer = signing.Signer(salt="diary.outbox.owner")
    data = signer.unsign_object(token)
    forged = signer.sign_object({**data, "a": data["a"] + 1})
    return [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
        forged.rpartition(":")[0] + ":" + token.rpartition(":")[2],  # another account
        signing.Signer(salt="another.salt").sign_object(data),  # signed for something else
        "",
        "not-a-token",
    ]


@pytest.mark.parametrize("which", range(5))
def test_a_tampered_token_is_refused(patient_client, which):
    token = _tampered(_owner(patient_client))[which]
    response = patient_client.post(NO_CRAMPS, _no_cramps(token))
    assert response.status_code == 409
    assert not Night.objects.exists()


def test_the_owner_sends_an_earlier_sessions_night_with_a_fresh_token(patient):
    """ "Send it": the page sends the night with this session's token and the one it was typed
    under, which must name the same account."""
    phone = Client()
    phone.force_login(patient)
    first = _owner(phone)
    _end_sessions()
    phone.force_login(patient)
    response = phone.post(LOG, _full_log(_owner(phone), typed_by=first))
    assert response.status_code == 302
    assert Night.objects.get(patient=patient).cramps.count() == 1


def test_a_night_typed_by_another_account_is_not_sent_again_under_this_one(
    patient_client, other_client
):
    bobs = _owner(other_client)
    response = patient_client.post(LOG, _full_log(_owner(patient_client), typed_by=bobs))
    assert response.status_code == 409
    assert not Night.objects.exists()


def test_a_form_posted_without_an_owner_token_is_a_plain_save(patient_client, patient):
    """A person submitting a form (a navigation, or a client that says nothing of how it
    fetches) without the token: saved for the signed-in account, as CSRF ties it here."""
    response = patient_client.post(
        NO_CRAMPS, {"idempotency_key": str(uuid.uuid4())}, headers={"Sec-Fetch-Mode": "navigate"}
    )
    assert response.status_code == 302
    assert Night.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("mode", ["cors", "same-origin", "no-cors"])
def test_a_script_posting_without_an_owner_token_is_refused(patient_client, patient, mode):
    """What a page kept by an earlier offline.js sends: it cannot say whose night it is."""
    response = patient_client.post(
        NO_CRAMPS, {"idempotency_key": str(uuid.uuid4())}, headers={"Sec-Fetch-Mode": mode}
    )
    assert response.status_code == 409
    assert not Night.objects.exists()


def test_the_question_before_discarding_cramps_carries_the_token(patient_client, patient):
    patient_client.post(LOG, _full_log(_owner(patient_client)))
    question = patient_client.post(NO_CRAMPS, _no_cramps(_owner(patient_client)))
    page = question.content.decode()
    assert question.status_code == 200 and "Discard the cramps?" in page
    token = re.search(r'name="owner" value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    confirmed = patient_client.post(
        NO_CRAMPS, {"owner": token, "idempotency_key": key, "confirm": "yes"}
    )
    assert confirmed.status_code == 302
    assert not Night.objects.get(patient=patient).cramps.exists()


def test_the_token_names_the_session_without_its_key(patient_client):
    key = patient_client.session.session_key
    token = _owner(patient_client)
    assert key not in token and key not in patient_client.get("/log/").content.decode()


def test_the_kept_shell_names_its_sign_in_and_the_offline_page_has_no_log_form(
    patient_client, patient
):
    shell = patient_client.get("/log/offline/")
    assert shell["X-Outbox-Owner"].startswith(f"{patient.pk}-")
    assert "You're offline" in shell.content.decode()
    offline = patient_client.get("/offline/").content.decode()
    assert "This page needs a connection" in offline and "You're offline" in offline
    assert 'id="log-form"' not in offline and "No cramps last night" not in offline
