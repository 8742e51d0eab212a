"""The policy self-check pages are public (see duixian.accounts.access for the format)."""

from __future__ import annotations

from duixian.accounts.access import EVERY_ROLE, UrlAccess

URL_ACCESS = [
    UrlAccess("policy:choose", public=True, roles=EVERY_ROLE),
    UrlAccess("policy:check", public=True, roles=EVERY_ROLE, make=lambda scope: {"clause": 2}),
    UrlAccess("policy:notice", public=True, roles=EVERY_ROLE),
]
