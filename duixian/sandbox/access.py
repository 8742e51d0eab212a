"""政策沙盘 is the province's alone (see duixian.accounts.access for the format)."""

from __future__ import annotations

from duixian.accounts.access import ALL, UrlAccess
from duixian.accounts.roles import Role

TRIAL = "parameter=clause2_cap_wan&value=150"

URL_ACCESS = [
    UrlAccess("sandbox:home", roles={Role.PROVINCE: ALL}, query=TRIAL),
    UrlAccess("sandbox:export", roles={Role.PROVINCE: ALL}, query=TRIAL),
]
