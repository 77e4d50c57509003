"""The client's address, for log-in lockouts and rate limits.

Behind a reverse proxy every request comes from the proxy's address, so REMOTE_ADDR alone would
put every patient in one bucket. Each proxy appends the address it saw to X-Forwarded-For;
settings.TRUSTED_PROXIES (DJANGO_TRUSTED_PROXIES) says how many proxies stand in front of the
app, and so how many entries, counted from the right, were written by someone we trust. Anything
further left was sent by the client and may be made up.
"""

import ipaddress

from django.conf import settings
from ipware import get_client_ip


def client_address(request) -> str | None:
    """The address of whoever sent the request, as far as the trusted proxies can tell.

    With no trusted proxy (the default) only REMOTE_ADDR counts: an X-Forwarded-For header is
    the client's own claim and is ignored. Also django-axes' AXES_CLIENT_IP_CALLABLE.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES
    if proxies == 0:
        return remote
    # The nearest proxy is REMOTE_ADDR itself and is not listed in X-Forwarded-For, so
    # `proxies` proxies leave the client at position proxies from the right of that header:
    # django-ipware counts the proxies listed in the header, which is one fewer. Only that
    # header is read: X-Real-IP and the like could come from the client unchecked.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,  # skip junk the client put on the left, never the trusted entries
        algorithm="modern",
    )
    # No usable header (a request that did not pass through the proxies): the socket's address.
    return address or remote


def address_key(request) -> str:
    """The client address for rate limits: IPv6 by its /64, the block one household gets."""
    address = client_address(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
