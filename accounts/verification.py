"""Confirming an e-mail address: a signed link, valid for a week, tied to the address.

A new account from the sign-up page is unconfirmed until its owner follows the link; until
then it neither sees nor answers clinicians' requests made to that address. Signing up with an
address that already has an account sends that address a "you already have an account" e-mail
instead of saying so on the page.
"""

from datetime import timedelta

from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

SALT = "accounts.confirm-email"
VALID_FOR = timedelta(days=7)


def confirmation_token(user: User) -> str:
    return signing.dumps({"user": user.pk, "email": user.email}, salt=SALT, compress=True)


def user_for_token(token: str) -> User | None:
    """The account a link confirms, or None when it is forged, expired or for an old address."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    return user if user and user.email == data.get("email") else None


def email_confirm(*, user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def _send(template: str, *, to: str, context: dict) -> None:
    subject = render_to_string(f"registration/{template}_subject.txt", context).strip()
    body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(subject, body, None, [to])


def confirmation_send(*, user: User, request) -> None:
    link = reverse("confirm_email", kwargs={"token": confirmation_token(user)})
    _send(
        "confirm",
        to=user.email,
        context={"user": user, "link": request.build_absolute_uri(link), "days": VALID_FOR.days},
    )


def already_registered_send(*, email: str, request) -> None:
    _send(
        "already_registered",
        to=email,
        context={
            "login": request.build_absolute_uri(reverse("login")),
            "reset": request.build_absolute_uri(reverse("password_reset")),
        },
    )
