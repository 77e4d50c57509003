"""What offline.js needs from a page: whose it is (diary/services/outbox.py), the server's date
words."""

import json
from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from diary.services import outbox

register = template.Library()


@register.simple_tag(takes_context=True)
def outbox_owner_field(context):
    """The log forms' hidden owner token: the server saves only what names this session."""
    request = context["request"]
    return format_html(
        '<input type="hidden" name="{}" value="{}" data-owner>',
        outbox.OWNER_FIELD,
        outbox.owner_token(request),
    )


@register.simple_tag(takes_context=True)
def outbox_page_data(context):
    """The data attributes of offline.js's script tag: the account and session of this page
    (empty when signed out), the account's sealing key, and the date words."""
    request = context.get("request")  # none on the plain error pages
    user = getattr(request, "user", None)
    values = {"account": "", "date-names": _date_names(get_language() or "")}
    if user is not None and user.is_authenticated:
        values |= {
            "account": str(user.pk),
            "session": outbox.session_tag(request),
            "owner": outbox.owner_token(request),
            "seal": outbox.seal_key(user),
        }
    return format_html_join(" ", 'data-{}="{}"', values.items())


@lru_cache(maxsize=16)
def _date_names(language: str) -> str:
    """Weekday and month names as the server writes them ("l", "F", "M" in date formats), so
    that a page kept on the phone writes a date exactly as the server does, in its language.
    1 January 2024 was a Monday."""
    return json.dumps(
        {
            "l": [date_format(date(2024, 1, 1 + day), "l") for day in range(7)],
            "F": [date_format(date(2024, month, 1), "F") for month in range(1, 13)],
            "M": [date_format(date(2024, month, 1), "M") for month in range(1, 13)],
        },
        ensure_ascii=False,
    )
