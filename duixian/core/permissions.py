"""Who may do what on platform-wide pages: rules of the authorization registry
(duixian.authz). Each answers a Decision (allowed, reason)."""

from django.utils.translation import gettext as _

from duixian.authz import ALL, Decision, allow, deny, rule
from duixian.authz.roles import Role


@rule("core.announcements", roles={Role.PROVINCE: ALL})
def can_edit_announcements(user) -> Decision:
    if user.is_authenticated and user.role == Role.PROVINCE:
        return allow()
    return deny(_("只有省科技厅工作人员可以维护公告和常见问题。"))


@rule("core.demo_clock", roles={Role.PROVINCE: ALL})
def can_move_demo_clock(user) -> Decision:
    """The province's accounts move the demo clock. The page exists in demo mode only: outside
    it the view answers 404 to everyone (a switch of the installation, not a permission)."""
    if user.is_authenticated and user.role == Role.PROVINCE:
        return allow()
    return deny(_("只有省科技厅演示账号可以调整演示时钟。"))
