"""Which URLs Cyan may send events to (SSRF).

An endpoint URL is chosen by a studio user, and Cyan's worker sits inside the hosting
network: without this check a studio could make Cyan POST to its database, a cloud
metadata service or an admin port. Every address the host resolves to must be public;
the check runs when the endpoint is saved and again before each attempt (DNS can change
between the two). Development and tests send to local receivers, so
settings.CYAN_WEBHOOKS_ALLOW_PRIVATE (default: DEBUG) lifts the address rule.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class TargetRefused(ValueError):
    """The URL may not receive events; the message says why, for the studio to read."""


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"The host {host} could not be found.") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def check_url(url: str, *, resolve: bool = True) -> str:
    """`url` if events may be sent there, else TargetRefused with the reason."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise TargetRefused("The URL must start with https:// (or http://).")
    if not parts.hostname:
        raise TargetRefused("The URL has no host.")
    if parts.username or parts.password:
        raise TargetRefused("Put no user name or password in the URL.")
    if getattr(settings, "CYAN_WEBHOOKS_REQUIRE_HTTPS", False) and parts.scheme != "https":
        raise TargetRefused("The URL must use https://.")
    if getattr(settings, "CYAN_WEBHOOKS_ALLOW_PRIVATE", False) or not resolve:
        return url
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The URL's port is not a number from 1 to 65535.") from exc
    for address in _addresses(parts.hostname, port):
        if not _is_public(address):
            raise TargetRefused(
                f"{parts.hostname} is a private, loopback or link-local address "
                f"({address}); Cyan only sends events to public addresses."
            )
    return url
