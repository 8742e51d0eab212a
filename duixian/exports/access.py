"""How the matrix builds a city's export URLs (see duixian.authz.access); who may download
them is exports.city (duixian/review/permissions.py): its own clerk and the province."""

from __future__ import annotations

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role

URL_ACCESS = [
    UrlAccess("exports:summary", make=lambda scope: {"city_code": scope.city_code, "fmt": "xlsx"}),
    UrlAccess("exports:letter", make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:materials", make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:versions", make=lambda scope: {"city_code": scope.city_code}),
    UrlAccess("exports:version", make=lambda scope: _version(scope)),
]


def _version(scope) -> dict:
    """A 汇总表 version the scope's clerk downloaded (archived on download)."""
    from duixian.exports.services import download_summary

    _content, _name, version = download_summary(scope.city_code, "xlsx", user=scope.users[Role.CITY_CLERK])
    return {"city_code": scope.city_code, "pk": version.pk}
