"""Who is asking: the client's address as our own proxies saw it, and the source a limit counts.

Used by the rate limit (duixian.core.ratelimit), the sign-in lockout (AXES_CLIENT_IP_CALLABLE)
and the audit trail (every row's address, duixian.audit.services).
"""

from __future__ import annotations


def client_ip(request) -> str:
    """The client's address. Behind N trusted proxies (TRUSTED_PROXY_COUNT) it is the N-th
    address from the right of X-Forwarded-For, the one our own nearest proxy saw; anything
    further left was written by the client and is not trusted."""
    if request is None:
        return ""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies][:45]
    return remote[:45]


def client_network(request) -> str:
    """The source a lockout or a rate limit counts: the client's address (client_ip), except
    that an IPv6 address stands for its /64 (one customer's network: 2^64 addresses, so counting
    each alone gave unlimited tries) and an IPv4-mapped IPv6 address for its IPv4 address.
    The value is itself an address (the network's first), so it fits an IP column."""
    import ipaddress

    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address)
    return address
