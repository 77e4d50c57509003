"""Limits on guessing: share codes, password-reset e-mails, and whose address is counted."""

import math
import re
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core import mail
from django.test import Client, RequestFactory

from accounts.addresses import address_key, client_address
from accounts.models import CareLink
from accounts.sharing import share_code_for
from tests.conftest import PASSWORD

SHARE = "/sharing/code/"
RESET = "/accounts/password_reset/"
RESET_DONE = "/accounts/password_reset/done/"
PROXY = "10.0.0.2"
WAIT = re.compile(r"Too many tries\. Please wait (\d+) minutes? and try again\.")


@pytest.fixture
def ratelimit_clock(monkeypatch):
    """Moves django-ratelimit's clock (and only its clock): ratelimit_clock.now += 3600."""
    clock = SimpleNamespace(now=float(int(time.time())))
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def _signed_in(user, **defaults):
    client = Client(**defaults)
    client.force_login(user)
    return client


def _wrong(client, n=1):
    for attempt in range(n):
        response = client.post(SHARE, {"code": f"WRNG{attempt:04d}"})
        assert response.status_code == 400, attempt
        assert "No clinician has this code" in response.content.decode()


def _refused(response):
    assert response.status_code == 429
    errors = response.context["code_form"].errors["code"]
    assert len(errors) == 1 and WAIT.fullmatch(errors[0]), errors
    assert WAIT.search(response.content.decode())
    return int(WAIT.fullmatch(errors[0]).group(1))


def test_the_eleventh_wrong_code_is_refused_even_when_right(
    patient_client, clinician, ratelimit_clock
):
    code = share_code_for(clinician)
    _wrong(patient_client, 10)
    response = patient_client.post(SHARE, {"code": code, "confirm": "yes"})
    minutes = _refused(response)
    assert not CareLink.objects.exists()
    _refused(patient_client.post(SHARE, {"code": ""}))  # the reason shows on an empty field too
    # Once the minutes shown have passed, the right code is looked at again.
    ratelimit_clock.now += minutes * 60
    assert patient_client.post(SHARE, {"code": code}).status_code == 200


def test_a_right_code_is_not_counted(patient_client, clinician):
    code = share_code_for(clinician)
    _wrong(patient_client, 9)
    response = patient_client.post(SHARE, {"code": code})
    assert response.status_code == 200 and response.context["clinician"] == clinician
    _wrong(patient_client, 1)  # the tenth wrong code is still looked at
    _refused(patient_client.post(SHARE, {"code": code}))


def test_the_count_is_per_account_and_per_address(patient, other_patient, clinician):
    code = share_code_for(clinician)
    _wrong(_signed_in(patient, REMOTE_ADDR="198.51.100.1"), 10)
    # Another account from another address: untouched.
    elsewhere = _signed_in(other_patient, REMOTE_ADDR="203.0.113.9")
    assert elsewhere.post(SHARE, {"code": code}).status_code == 200
    # The same account from another address, and another account from the same address: not.
    _refused(_signed_in(patient, REMOTE_ADDR="203.0.113.9").post(SHARE, {"code": code}))
    _refused(_signed_in(other_patient, REMOTE_ADDR="198.51.100.1").post(SHARE, {"code": code}))


def test_the_wait_shown_is_the_wait_needed(patient_client, clinician, ratelimit_clock):
    code = share_code_for(clinician)
    _wrong(patient_client, 10)
    start = ratelimit_clock.now
    minutes = _refused(patient_client.post(SHARE, {"code": code}))

    def allowed(seconds_later):  # a right code is never counted, so asking changes nothing
        ratelimit_clock.now = start + seconds_later
        return patient_client.post(SHARE, {"code": code}).status_code == 200

    low, high = 0, 3601  # refused at low, allowed at high: find the first second allowed
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if allowed(middle) else (middle, high)
    assert minutes == math.ceil(high / 60)
    # The window's last second still refuses: 60 seconds before it, the wait is 61 seconds.
    last = start + high - 1
    ratelimit_clock.now = last - 60
    assert _refused(patient_client.post(SHARE, {"code": code})) == 2
    ratelimit_clock.now = last
    assert _refused(patient_client.post(SHARE, {"code": code})) == 1


def test_after_the_hour_codes_are_looked_at_again(patient_client, clinician, ratelimit_clock):
    _wrong(patient_client, 10)
    _refused(patient_client.post(SHARE, {"code": "WRNG0000"}))
    ratelimit_clock.now += 3600
    _wrong(patient_client, 10)
    _refused(patient_client.post(SHARE, {"code": share_code_for(clinician)}))


def test_the_fourth_reset_to_one_address_sends_nothing_and_says_the_same(client, patient):
    for spelling in ("alice@example.org", "ALICE@example.org", " Alice@Example.org"):
        response = client.post(RESET, {"email": spelling})
        assert response.status_code == 302 and response.url == RESET_DONE
    assert len(mail.outbox) == 3
    response = client.post(RESET, {"email": "alice@example.org"})
    assert response.status_code == 302 and response.url == RESET_DONE
    assert len(mail.outbox) == 3
    # Not from another address either: the limit is the e-mail's.
    Client(REMOTE_ADDR="203.0.113.9").post(RESET, {"email": patient.email})
    assert len(mail.outbox) == 3


def test_one_client_address_gets_ten_resets_an_hour(client, patient, ratelimit_clock):
    for n in range(10):
        response = client.post(RESET, {"email": f"nobody{n}@example.org"})
        assert response.url == RESET_DONE
    response = client.post(RESET, {"email": patient.email})
    assert response.status_code == 302 and response.url == RESET_DONE
    assert mail.outbox == []
    Client(REMOTE_ADDR="203.0.113.9").post(RESET, {"email": patient.email})
    assert len(mail.outbox) == 1
    ratelimit_clock.now += 3600
    client.post(RESET, {"email": patient.email})
    assert len(mail.outbox) == 2


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_with_no_trusted_proxy_a_forwarded_for_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    request = _request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_address(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the client's own claim is ignored
        (1, "not-an-address, 203.0.113.5", "203.0.113.5"),
        (2, "192.0.2.66, 203.0.113.5, 198.51.100.20", "203.0.113.5"),
        (1, "", PROXY),  # not through the proxy: the socket's address
        (2, "203.0.113.5", PROXY),  # fewer hops than proxies: nothing there to trust
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_address_counts(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXIES = proxies
    request = _request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_an_ipv6_client_is_limited_by_its_64_block(settings):
    settings.TRUSTED_PROXIES = 0
    one = address_key(_request(REMOTE_ADDR="2001:db8:1:2:aaaa::1"))
    assert one == address_key(_request(REMOTE_ADDR="2001:db8:1:2:ffff::9")) == "2001:db8:1:2::"
    assert address_key(_request(REMOTE_ADDR="198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize(("proxies", "shared"), [(0, True), (1, False)])
def test_patients_behind_one_proxy_share_a_count_only_without_a_trusted_proxy(
    settings, patient, other_patient, clinician, proxies, shared
):
    settings.TRUSTED_PROXIES = proxies
    code = share_code_for(clinician)
    first = _signed_in(patient, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    _wrong(first, 10)
    # Another patient through the same proxy; with no trusted proxy a made-up header is no escape.
    second = _signed_in(other_patient, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = second.post(SHARE, {"code": code})
    assert response.status_code == (429 if shared else 200)


def _log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.parametrize(("proxies", "shared"), [(0, True), (1, False)])
def test_log_in_lockouts_count_the_same_address(settings, patient, proxies, shared):
    settings.TRUSTED_PROXIES = proxies
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.addresses.client_address"
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(guesser, patient.email, "guess")
    assert _log_in(guesser, patient.email, PASSWORD).status_code == 429
    # The patient, at home behind the same proxy.
    at_home = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert _log_in(at_home, patient.email, PASSWORD).status_code == (429 if shared else 302)
