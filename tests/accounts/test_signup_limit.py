"""Sign-up is limited per client address, as resets and share codes are: past the limit no
account is made, and the page says why and for how long."""

import re
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.test import Client

from accounts.limits import SIGNUP_PER_ADDRESS
from accounts.models import User

SIGNUP = "/accounts/signup/"
WAIT = re.compile(
    r"Too many diaries were started from this connection\. "
    r"Please wait (\d+) minutes? and try again\."
)


@pytest.fixture
def ratelimit_clock(monkeypatch):
    clock = SimpleNamespace(now=float(int(time.time())))
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: clock.now))
    return clock


def _form(n: int) -> dict:
    return {
        "full_name": f"Newcomer {n}",
        "email": f"newcomer{n}@example.org",
        "time_zone": "Europe/London",
        "password1": "cramps-at-night-2026",
        "password2": "cramps-at-night-2026",
    }


def _sign_up(n: int, address: str = "198.51.100.1"):
    return Client(REMOTE_ADDR=address).post(SIGNUP, _form(n))


@pytest.mark.django_db
def test_past_the_limit_no_account_is_made_and_the_page_says_how_long_to_wait(
    ratelimit_clock,
):
    for n in range(SIGNUP_PER_ADDRESS):
        assert _sign_up(n).status_code == 302, n
    assert User.objects.count() == SIGNUP_PER_ADDRESS

    response = _sign_up(99)

    assert response.status_code == 429
    page = response.content.decode()
    minutes = int(WAIT.search(page).group(1))
    assert not User.objects.filter(email="newcomer99@example.org").exists()
    assert User.objects.count() == SIGNUP_PER_ADDRESS
    # Another address is not held back; the same one is, until the hour is over.
    assert _sign_up(100, address="203.0.113.9").status_code == 302
    # The wait the page names is right to the minute: a minute short is still refused.
    ratelimit_clock.now += (minutes - 1) * 60
    assert _sign_up(99).status_code == 429
    ratelimit_clock.now += 60
    assert _sign_up(99).status_code == 302
    assert User.objects.filter(email="newcomer99@example.org").exists()


@pytest.mark.django_db
def test_a_form_with_mistakes_is_not_counted():
    for n in range(SIGNUP_PER_ADDRESS + 3):
        response = Client(REMOTE_ADDR="198.51.100.1").post(SIGNUP, {**_form(n), "password2": "x"})
        assert response.status_code == 200
    assert _sign_up(1).status_code == 302
