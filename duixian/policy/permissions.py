"""Who may do what with pack versions: a rule of the authorization registry (duixian.authz)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, rule
from duixian.authz.roles import Role


@rule("policy.versions", roles={Role.PROVINCE: ALL})
def can_manage_pack_versions(user) -> tuple[bool, str]:
    """Load, activate and download pack versions: the province (省科技厅) alone."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅工作人员可以加载或切换政策包版本。")
