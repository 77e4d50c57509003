"""Limits on guessing share codes, on making accounts, and on the e-mails anyone can make the
site send (password reset, address confirmation, "you already have a diary").

Counted by django-ratelimit in the default cache: Redis when REDIS_URL is set, so every app
server shares the count (the local-memory cache counts per process: fine for one process only).
Each limit counts in fixed one-hour windows, as django-ratelimit does.
"""

import math

from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from accounts.addresses import address_key

SHARE_CODE_FAILURES = 10  # wrong share codes an hour, per account and per client address
RESET_PER_EMAIL = 3  # password-reset requests an hour for one e-mail address
RESET_PER_ADDRESS = 10  # password-reset requests an hour from one client address
SIGNUP_PER_ADDRESS = 5  # sign-ups an hour from one client address (a household, a clinic)


def _rate(limit: int) -> str:
    return f"{limit}/h"


def _by_account(group, request) -> str:
    return str(request.user.pk)


def _by_address(group, request) -> str:
    return address_key(request)


_SHARE_CODE_KEYS = (("share-code:account", _by_account), ("share-code:address", _by_address))


def share_code_wait(request) -> int:
    """Seconds until this patient may try a share code again; 0 when they may now.

    Only looks: a right code must not count, so failures are counted by share_code_failed.
    """
    wait = 0
    for group, key in _SHARE_CODE_KEYS:
        usage = get_usage(request, group=group, key=key, rate=_rate(SHARE_CODE_FAILURES))
        # django-ratelimit limits when count > limit; here the 11th try is refused, not the 12th.
        # When the cache fails it answers limit 0 and time_left -1: refused, for a minute.
        # The window's last second still counts, hence the + 1.
        if usage is not None and usage["count"] >= usage["limit"]:
            wait = max(wait, usage["time_left"] + 1, 1)
    return wait


def share_code_failed(request) -> None:
    """Counts one wrong share code against the account and the client address."""
    for group, key in _SHARE_CODE_KEYS:
        get_usage(request, group=group, key=key, rate=_rate(SHARE_CODE_FAILURES), increment=True)


def too_many_tries_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many tries. Please wait %(minutes)d minute and try again.",
        "Too many tries. Please wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def signup_wait(request) -> int:
    """Counts one sign-up from the client address; the seconds to wait when that address has
    made enough accounts this hour (nothing is made then), else 0. Only a complete form is
    counted: mistakes cost nothing."""
    usage = get_usage(
        request,
        group="signup:address",
        key=_by_address,
        rate=_rate(SIGNUP_PER_ADDRESS),
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        return max(usage["time_left"] + 1, 1)  # as share_code_wait: a failing cache refuses
    return 0


def too_many_signups_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many diaries were started from this connection. Please wait %(minutes)d minute "
        "and try again.",
        "Too many diaries were started from this connection. Please wait %(minutes)d minutes "
        "and try again.",
        minutes,
    ) % {"minutes": minutes}


def password_reset_allowed(request, email: str) -> bool:
    """Counts one password-reset request; False once the address or the e-mail had enough."""
    return _email_allowed(request, email, "password-reset")


def account_email_allowed(request, email: str) -> bool:
    """Counts one sign-up or confirmation e-mail, with the same limits as password resets."""
    return _email_allowed(request, email, "account-email")


def _email_allowed(request, email: str, kind: str) -> bool:
    for group, key, limit in (
        (f"{kind}:address", _by_address, RESET_PER_ADDRESS),
        (f"{kind}:email", lambda group, request: email.strip().lower(), RESET_PER_EMAIL),
    ):
        usage = get_usage(request, group=group, key=key, rate=_rate(limit), increment=True)
        if usage is not None and usage["should_limit"]:
            return False
    return True
