"""How the matrix builds the registry pages' URLs (see duixian.authz.access for the format);
who may open them is the actions their views declare (duixian/registries/permissions.py).

The province manages the registries; an application's registry check is seen by whoever may
see the application; clerks and the province see the findings of the applications they see.
"""

from __future__ import annotations

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role
from duixian.applications.access import submitted


def _version(scope):
    """A 重大违法 registry version the province imported (a made-up organisation, not the scope's)."""
    from tests.registries.conftest import OTHER, import_rows

    return import_rows("major_violation", [[OTHER, "矩阵违法示例公司", 2025, "省信用办"]],
                       user=scope.users[Role.PROVINCE])


URL_ACCESS = [
    UrlAccess("registries:home"),
    UrlAccess("registries:import"),
    UrlAccess("registries:template", make=lambda scope: {"kind": "approved_park", "fmt": "csv"}),
    UrlAccess("registries:version", make=lambda scope: {"pk": _version(scope).pk}),
    UrlAccess("registries:withdraw", post_only=True, make=lambda scope: {"pk": _version(scope).pk}),
    UrlAccess("registries:obligations"),
    UrlAccess("registries:remind", post_only=True),
    UrlAccess("registries:findings"),
    UrlAccess("registries:application", make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("registries:my_obligations"),
]
