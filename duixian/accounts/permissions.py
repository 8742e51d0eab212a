"""Rules of the accounts app (see duixian.authz): any signed-in user's own pages, and
三员分立: each administrator does one job."""

from django.utils.translation import gettext as _

from duixian.authz import ALL, ANONYMOUS, EVERY_ROLE, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role


@rule("signed_in", roles=EVERY_ROLE)
def is_signed_in(user):
    """Pages every signed-in user opens about themself or with no organisation's data (their
    notifications, their list filtered to what they may see, a blank template)."""
    if getattr(user, "is_authenticated", False) and user.is_active:
        return allow()
    return deny(_("请先登录。"))


@rule("anyone", roles={**EVERY_ROLE, ANONYMOUS: ALL})
def anyone(user):
    """Public pages (the status lookup by 受理编号, the public 公示): no one is refused."""
    return allow()


@rule("accounts.manage", roles={Role.SYSTEM_ADMIN: ALL})
def can_manage_accounts(user) -> Decision:
    if user.is_authenticated and user.role == Role.SYSTEM_ADMIN:
        return allow()
    return deny(_("只有系统管理员可以管理账号。"))


@rule("roles.manage", roles={Role.SECURITY_ADMIN: ALL})
def can_manage_roles(user) -> Decision:
    if user.is_authenticated and user.role == Role.SECURITY_ADMIN:
        return allow()
    return deny(_("只有安全管理员可以授予或撤销业务角色。"))


@rule("audit.read", roles={Role.AUDIT_ADMIN: ALL})
def can_read_audit(user) -> Decision:
    if user.is_authenticated and user.role == Role.AUDIT_ADMIN:
        return allow()
    return deny(_("只有审计管理员可以查阅审计日志。"))


@rule("lockouts.manage", roles={Role.SECURITY_ADMIN: ALL, Role.APPLICANT: OWN})
def can_manage_lockouts(user) -> Decision:
    """The security administrator lifts any login lockout, an organisation's 经办人 its own
    people's (duixian.accounts.lockouts says whose each may lift)."""
    from duixian.accounts.lockouts import can_manage_lockouts as in_reach

    allowed, reason = in_reach(user)
    return allow() if allowed else deny(reason)


@rule("identity.unlink", roles={role: OWN for role in Role.values})
def can_unlink_identity(user, link) -> Decision:
    """A unified-identity binding is removed by its own account (the system administrator
    removes anyone's on the account's page, under accounts.manage)."""
    if getattr(user, "is_authenticated", False) and link.user_id == user.pk:
        return allow()
    return deny(_("您无权解除该身份绑定。"))
