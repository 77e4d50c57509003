"""How long a sign-in lasts, decided once for every way of signing in."""

from django.conf import settings


def session_age_set(sender, request, user, **kwargs):
    """On every sign-in (the sign-in page, /admin/login/, a password reset): clinicians and
    anyone who can use the admin often work on a shared desktop, so their session ends with
    the working day; patients keep the 30 days of SESSION_COOKIE_AGE on their own phone."""
    if user.is_clinician or user.is_staff:
        request.session.set_expiry(settings.CLINICIAN_SESSION_AGE)
