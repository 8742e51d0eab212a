"""Who may edit the 政策解读: a rule of the authorization registry (duixian.authz)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, rule
from duixian.authz.roles import Role

Decision = tuple[bool, str]


@rule("guidance.edit", roles={Role.PROVINCE: ALL})
def can_edit_interpretation(user) -> Decision:
    """The province writes the 解读 (and reads its edit history); everyone reads the current one."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅可以编辑政策解读。")
