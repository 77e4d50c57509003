"""The time zones a user may choose: IANA names, as browsers report them."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Europe/London"


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def time_zone_names() -> tuple[str, ...]:
    # "localtime" and the legacy aliases such as "US/Pacific" are left out of the list,
    # but still accepted by validate_time_zone when a browser reports one.
    return tuple(
        sorted(
            name
            for name in known_time_zones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
        )
        + ["UTC"]
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def validate_time_zone(name: str) -> None:
    if name not in known_time_zones():
        raise ValidationError(_("%(name)s is not a known time zone."), params={"name": name})
