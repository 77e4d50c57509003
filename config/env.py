"""Strict readers for settings that come from environment variables.

Each reader rejects a malformed value with a message naming the variable, instead of guessing.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    if name not in os.environ:
        return default
    value = os.environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/true/yes/on or 0/false/no/off, not {os.environ[name]!r}."
    )


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str) -> list[str]:
    """A comma-separated list; blank items are an error, not silently dropped."""
    raw = env_str(name)
    if not raw:
        return []
    items = [item.strip() for item in raw.split(",")]
    if not all(items):
        raise ImproperlyConfigured(f"{name} has an empty item: {raw!r}.")
    return items


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    raw = env_str(name)
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must start with {' or '.join(s + '://' for s in schemes)}, not {raw!r}."
        )
    return raw


def env_phone_number(name: str, default: str) -> str:
    raw = env_str(name, default)
    if not (raw.isdigit() and 2 <= len(raw) <= 6):
        raise ImproperlyConfigured(
            f"{name} must be 2 to 6 digits, such as 999, 911 or 112, not {raw!r}."
        )
    return raw
