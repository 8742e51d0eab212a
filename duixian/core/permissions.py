"""Who may do what on platform-wide pages. Each function answers (allowed, reason)."""

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role
from duixian.core import clock

Decision = tuple[bool, str]


def can_edit_announcements(user) -> Decision:
    if user.is_authenticated and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅工作人员可以维护公告和常见问题。")


def can_move_demo_clock(user) -> Decision:
    if not clock.demo_enabled():
        return False, _("演示时钟仅在演示模式下可用。")
    if user.is_authenticated and user.role == Role.PROVINCE:
        return True, ""
    return False, _("只有省科技厅演示账号可以调整演示时钟。")
