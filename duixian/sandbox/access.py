"""How the matrix builds the 政策沙盘 URLs (see duixian.authz.access for the format); who may
open them is sandbox.use (duixian/sandbox/permissions.py): the province alone."""

from __future__ import annotations

from duixian.authz.access import UrlAccess

TRIAL = "parameter=clause2_cap_wan&value=150"

URL_ACCESS = [
    UrlAccess("sandbox:home", query=TRIAL),
    UrlAccess("sandbox:export", query=TRIAL),
]
