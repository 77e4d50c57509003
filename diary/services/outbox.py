"""Whose night a save is: the owner token that every log form carries (static/js/offline.js).

A page cannot know, without a connection, that its session ended on the server, nor who holds
the phone. So a save belongs to the *session* that rendered its form: the form carries a signed
token naming the account and the session (a keyed hash of the session key, never the key). The
server saves only what names the signed-in account's current session; a night kept on the phone
after its session ended is sent again only when its owner, signed in anew, asks for it, with a
fresh token (and the first one, `typed_by`, which must name the same account).

The page also gets a key of its account's own (`seal_key`) to seal the nights it keeps on the
phone, so that another account signed in later on the same phone cannot read them.
"""

import base64
from enum import Enum

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

OWNER_FIELD = "owner"  # the hidden field of both log forms
TYPED_BY_FIELD = "typed_by"  # a night sent again: the token it was typed under
# The salts keep the module's first name: a new salt would void every token in use.
_TOKEN_SALT = "diary.outbox.owner"
_SESSION_SALT = "diary.outbox.session"
_SEAL_SALT = "diary.outbox.seal"


class Refusal(Enum):
    """Why a save is refused (answered 409, nothing saved)."""

    UNREADABLE = "unreadable"  # tampered with, or not ours
    OTHER_ACCOUNT = "other_account"
    ENDED_SESSION = "ended_session"


def session_tag(request) -> str:
    """The session, named without its key: a keyed hash that cannot be turned back into it."""
    key = request.session.session_key
    if not key:
        return ""
    return salted_hmac(_SESSION_SALT, key, algorithm="sha256").hexdigest()[:32]


def owner_name(request) -> str:
    """The sign-in a page kept by the service worker belongs to ("account-session"), sent in
    the X-Outbox-Owner header: the worker keeps a page only for the sign-in it asked for."""
    return f"{request.user.pk}-{session_tag(request)}"


def owner_token(request) -> str:
    """The token the page's log forms carry: this account, this session."""
    signer = signing.Signer(salt=_TOKEN_SALT)
    return signer.sign_object({"a": request.user.pk, "s": session_tag(request)})


def seal_key(user) -> str:
    """The account's key for the nights its pages keep on the phone (AES-256, base64url)."""
    digest = salted_hmac(_SEAL_SALT, str(user.pk), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _read(token: str) -> dict | None:
    try:
        payload = signing.Signer(salt=_TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), str):
        return None
    return payload


def save_refusal(request) -> Refusal | None:
    """None when the POST may be saved for the signed-in account, else why not.

    Every form the server renders carries the token. A POST without it is saved only when it is
    a person submitting a form (a navigation, or a client that says nothing of how it fetches):
    a script's POST without it is what an offline page kept by an earlier version of offline.js
    sends, and that page cannot say whose night it is."""
    token = request.POST.get(OWNER_FIELD)
    if token is None:
        from_script = request.headers.get("Sec-Fetch-Mode", "navigate") != "navigate"
        return Refusal.UNREADABLE if from_script else None
    payload = _read(token)
    if payload is None:
        return Refusal.UNREADABLE
    if payload.get("a") != request.user.pk:
        return Refusal.OTHER_ACCOUNT
    current = session_tag(request)
    if not current or not constant_time_compare(payload["s"], current):
        return Refusal.ENDED_SESSION
    typed_by = request.POST.get(TYPED_BY_FIELD)
    if typed_by is not None:
        first = _read(typed_by)
        if first is None:
            return Refusal.UNREADABLE
        if first.get("a") != request.user.pk:
            return Refusal.OTHER_ACCOUNT
    return None
