"""How the matrix builds the policy pages' URLs (see duixian.authz.access for the format); who
may open them is the actions their views declare: the self-check and the notice are public
(anyone), the pack versions the province's (policy.versions)."""

from __future__ import annotations

from duixian.authz.access import UrlAccess
from duixian.authz.roles import Role

URL_ACCESS = [
    UrlAccess("policy:choose", public=True),
    UrlAccess("policy:check", public=True, make=lambda scope: {"clause": 2}),
    UrlAccess("policy:notice", public=True),
]


def _versions(scope):
    """The province loads a 补充通知 version; the shipped 2026.1 is recorded beside it to roll back to.

    Returns (loaded, shipped). The version names the scope's city so both scopes load their own.
    """
    from pathlib import Path

    from duixian.policy.models import PackVersion
    from duixian.policy.services import pack_version_load

    text = (Path(__file__).parent / "packs" / "anhui-2026.yaml").read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', f'version: "2026.1-m{scope.city_code}"', 1)
    loaded = pack_version_load(text, user=scope.users[Role.PROVINCE], note="矩阵")
    shipped = PackVersion.objects.get(batch_id=loaded.batch_id, version="2026.1")
    return loaded, shipped


URL_ACCESS += [
    # The province's pack versions (补充通知): nobody else gets the page, the diff or the YAML.
    UrlAccess("policy:versions"),
    UrlAccess("policy:version_confirm", post_only=True),
    UrlAccess("policy:version_activate", make=lambda scope: {"pk": _versions(scope)[1].pk},
              note="GET shows what putting the shipped version back changes; POST does it"),
    UrlAccess("policy:version_download", make=lambda scope: {"pk": _versions(scope)[0].pk}),
]
