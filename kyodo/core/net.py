"""The one place that says where a request came from (for Kyodo's rate limits and allauth's).

X-Forwarded-For is believed only when the request reached us from a proxy listed in
KYODO_TRUSTED_PROXIES (addresses or networks; none by default). Counting from the right, each hop that
is itself a trusted proxy is skipped; the first address that is not is the client. Anyone can put
anything on the left of that header, so the leftmost value is never trusted on its own."""

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:  # settings import this module; keep it free of request machinery at import
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """'10.0.0.1, 192.168.0.0/16' → networks; raises ValueError naming a bad entry."""
    networks = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"KYODO_TRUSTED_PROXIES: {part!r} is not an address or network") from exc
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(value: str, proxies: tuple[Network, ...]) -> bool:
    address = _address(value)
    return address is not None and any(address in network for network in proxies)


def client_address(request: "HttpRequest") -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the first untrusted hop from the right."""
    remote: str = request.META.get("REMOTE_ADDR", "") or ""
    proxies: tuple[Network, ...] = settings.KYODO_TRUSTED_PROXIES
    if not proxies or not _trusted(remote, proxies):
        return remote
    header: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return remote  # a malformed header: fall back to the proxy itself rather than guess
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else remote
