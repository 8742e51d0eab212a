"""政策沙盘 is the province's alone: a rule of the authorization registry (duixian.authz)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, rule
from duixian.authz.roles import Role


@rule("sandbox.use", roles={Role.PROVINCE: ALL})
def can_use_sandbox(user) -> tuple[bool, str]:
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅工作人员可以使用政策沙盘。")
