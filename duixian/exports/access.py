"""Who may download a city's exports (see duixian.accounts.access): its own clerk and the province."""

from __future__ import annotations

from duixian.accounts.access import ALL, OWN, UrlAccess
from duixian.accounts.roles import Role

ROLES = {Role.CITY_CLERK: OWN, Role.PROVINCE: ALL}

URL_ACCESS = [
    UrlAccess("exports:summary", roles=ROLES, make=lambda scope: {"city_code": scope.city_code, "fmt": "xlsx"}),
    UrlAccess("exports:letter", roles=ROLES, make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:materials", roles=ROLES, make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:versions", roles=ROLES, make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:version", roles=ROLES, make=lambda scope: _version(scope)),
]


def _version(scope) -> dict:
    """A 汇总表 version the scope's clerk downloaded (archived on download)."""
    from duixian.exports.services import download_summary

    _content, _name, version = download_summary(scope.city_code, "xlsx", user=scope.users[Role.CITY_CLERK])
    return {"city_code": scope.city_code, "pk": version.pk}
