"""Who may open the registry pages (see duixian.accounts.access for the format).

The province manages the registries; an application's registry check is seen by whoever may
see the application; clerks and the province see the findings of the applications they see.
"""

from __future__ import annotations

from duixian.accounts.access import ALL, OWN, UrlAccess
from duixian.accounts.roles import Role
from duixian.applications.access import submitted
from duixian.applications.permissions import SEEN

PROVINCE = {Role.PROVINCE: ALL}


def _version(scope):
    """A 重大违法 registry version the province imported (a made-up organisation, not the scope's)."""
    from tests.registries.conftest import OTHER, import_rows

    return import_rows("major_violation", [[OTHER, "矩阵违法示例公司", 2025, "省信用办"]],
                       user=scope.users[Role.PROVINCE])


URL_ACCESS = [
    UrlAccess("registries:home", roles=PROVINCE),
    UrlAccess("registries:import", roles=PROVINCE),
    UrlAccess("registries:template", roles=PROVINCE, make=lambda scope: {"kind": "approved_park", "fmt": "csv"}),
    UrlAccess("registries:version", roles=PROVINCE, make=lambda scope: {"pk": _version(scope).pk}),
    UrlAccess("registries:withdraw", roles=PROVINCE, post_only=True, make=lambda scope: {"pk": _version(scope).pk}),
    UrlAccess("registries:obligations", roles=PROVINCE),
    UrlAccess("registries:remind", roles=PROVINCE, post_only=True),
    UrlAccess("registries:findings", roles={Role.CITY_CLERK: OWN, Role.PROVINCE: ALL}),
    UrlAccess("registries:application", roles=SEEN, make=lambda scope: {"pk": submitted(scope).pk}),
    UrlAccess("registries:my_obligations", roles={Role.APPLICANT: OWN}),
]
