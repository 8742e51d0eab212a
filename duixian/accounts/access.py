"""How the matrix builds the accounts pages' URLs (see duixian.authz.access for the format); who
may open them is the actions their views declare (duixian.accounts.permissions)."""

from duixian.authz.access import Scope, UrlAccess
from duixian.authz.roles import Role


def _other_user(scope: Scope):
    return scope.users[Role.APPLICANT]


URL_ACCESS = [
    UrlAccess("accounts:login", public=True, ok_statuses=(200, 302)),
    UrlAccess("accounts:logout", post_only=True, note="GET is not allowed; POST logs out"),
    UrlAccess("accounts:password_change"),
    UrlAccess("accounts:password_reset_confirm", public=True, ok_statuses=(200, 302),
              make=lambda scope: {"uidb64": "MQ", "token": "not-a-token"},
              note="the mailed one-time link; a wrong token shows 链接无效"),
    # The unified identity sign-in (issue 21): before there is an account. The matrix runs without a
    # provider (OIDC_ISSUER unset): start and callback answer 404; the binding page without an
    # identity waiting in the session says so (400). The flows: tests/accounts/test_oidc_browser.py.
    UrlAccess("accounts:oidc_start", public=True, ok_statuses=(404,)),
    UrlAccess("accounts:oidc_callback", public=True, ok_statuses=(404,)),
    UrlAccess("accounts:oidc_link", public=True, ok_statuses=(400,)),
    UrlAccess("accounts:otp_verify", ok_statuses=(200, 302)),
    UrlAccess("accounts:otp_enrol", ok_statuses=(200, 302)),
    UrlAccess("accounts:security"),
    UrlAccess("accounts:identity_unlink",
              make=lambda scope: {"pk": _link_for(_other_user(scope)).pk},
              note="one's own binding only (GET asks to confirm, POST removes); staff test their own in tests/accounts"),
    UrlAccess("accounts:manage_users"),
    UrlAccess("accounts:manage_user_create"),
    UrlAccess("accounts:manage_user",
              make=lambda scope: {"pk": _other_user(scope).pk}),
    UrlAccess("accounts:manage_user_identity_unlink", post_only=True,
              make=lambda scope: {"pk": _other_user(scope).pk, "link_pk": _link_for(_other_user(scope)).pk}),
    UrlAccess("accounts:manage_user_action", post_only=True,
              make=lambda scope: {"pk": _other_user(scope).pk, "action": "deactivate"}),
    UrlAccess("accounts:manage_roles"),
    UrlAccess("accounts:lockouts",
              note="an applicant who is the organisation's 经办人 sees the own organisation's lockouts"),
    UrlAccess("accounts:lockout_release", post_only=True),
    UrlAccess("accounts:manage_role_revoke", post_only=True,
              make=lambda scope: {"pk": _grant_for(scope).pk}),
]


def _grant_for(scope: Scope):
    from duixian.accounts.models import RoleGrant
    from duixian.core import clock

    return RoleGrant.objects.create(
        user=scope.users[Role.EXPERT], role=Role.CITY_CLERK, city_code=scope.city_code, reason="matrix",
        granted_by=scope.users[Role.SECURITY_ADMIN], granted_at=clock.now(),
    )


def _link_for(user):
    from duixian.accounts.models import IdentityLink

    link, _created = IdentityLink.objects.get_or_create(
        issuer="https://ids.example.gov.cn/oidc", subject=f"matrix-{user.pk}",
        defaults={"user": user, "method": IdentityLink.Method.PASSWORD, "name": "矩阵测试"})
    return link
