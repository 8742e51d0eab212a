"""Accounts: one person, one role, scoped to an organisation or a city where the role needs it.

三员分立 (issue 16): the system administrator creates accounts WITHOUT a role; a staff role comes
only from a `RoleGrant` — business roles from the security administrator, the three
administrator roles from the installation command (`duixian admin create`). `User.role`,
`city_code` and `role_expires_at` are the active grant, copied by `accounts.services` in the
same transaction as the grant (so every permission check reads one column); an expired grant
counts as no role from the moment it expires (`AccountBackend`), and housekeeping revokes it.
Applicants get their role from registering or joining an organisation (orgs), not from a grant.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duixian.authz.roles import ADMIN_ROLES, Role
from duixian.core import clock


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    city_code = models.CharField(_("归口管理部门所在市"), max_length=6, blank=True)
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    role_expires_at = models.DateTimeField(_("角色到期时间"), null=True, blank=True)
    # AbstractUser's default is the real clock; the roles page shows when an account was created,
    # so it reads the platform clock like every other timestamp (the demo day in the demo).
    date_joined = models.DateTimeField(_("创建时间"), default=clock.now)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.APPLICANT) | Q(organisation__isnull=False),
                name="applicant_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CITY_CLERK) | ~Q(city_code=""),
                name="clerk_has_city",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.APPLICANT) | Q(organisation__isnull=True),
                name="only_applicants_belong_to_organisations",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def role_expired(self, at=None) -> bool:
        if self.role_expires_at is None:
            return False
        from duixian.core import clock

        return self.role_expires_at <= (at or clock.now())

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


# Roles the security administrator grants (to an account without a role). Never an administrator
# role: those come only from the installation command (a grant without `granted_by`).
GRANTABLE_ROLES = (Role.PROVINCE, Role.EXPERT, Role.CITY_CLERK)


class RoleGrantQuerySet(models.QuerySet):
    def active(self, at=None):
        from duixian.core import clock

        at = at or clock.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


class RoleGrant(models.Model):
    """The role an account holds: a business role granted by the security administrator, or an
    administrator role given at installation (`granted_by` empty). At most one active per account."""

    user = models.ForeignKey(User, verbose_name=_("被授权人"), on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(_("业务角色"), max_length=20, choices=Role.choices)
    city_code = models.CharField(_("地市（市级审核角色）"), max_length=6, blank=True)
    reason = models.CharField(_("授权理由"), max_length=200)
    granted_by = models.ForeignKey(User, verbose_name=_("授权人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("授权时间"))
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("业务角色授权")
        verbose_name_plural = _("业务角色授权")
        ordering = ["-granted_at"]
        constraints = [
            # A business role, or an administrator role given at installation (nobody's grant).
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in GRANTABLE_ROLES])
                | Q(role__in=sorted(r.value for r in ADMIN_ROLES), granted_by__isnull=True),
                name="grant_is_a_business_role",
            ),
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="one_active_grant_per_user"),
            models.CheckConstraint(condition=~Q(role=Role.CITY_CLERK) | ~Q(city_code=""), name="clerk_grant_has_city"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {Role(self.role).label}"

    @property
    def revocable(self) -> bool:
        """Business roles are revoked by the security administrator; administrator roles are not."""
        return self.revoked_at is None and self.role not in ADMIN_ROLES


class IdentityLink(models.Model):
    """A person of the unified identity service (统一身份认证, an OpenID Connect provider) bound to
    a platform account: that issuer's subject signs in as this account (duixian.accounts.identity).
    Made when an organisation registers through the service, when the service's verified phone
    matches a member of the organisation it asserts, or after the account's own password (and,
    for staff, its one-time code) confirmed it."""

    class Method(models.TextChoices):
        REGISTRATION = "registration", _("通过统一身份认证注册单位")
        MEMBER_PHONE = "member_phone", _("统一身份认证的实名手机号与本单位成员一致")
        PASSWORD = "password", _("本平台账号密码确认")

    user = models.ForeignKey(User, verbose_name=_("本平台账号"), on_delete=models.CASCADE, related_name="identity_links")
    issuer = models.CharField(_("身份认证服务"), max_length=200)
    subject = models.CharField(_("身份标识"), max_length=255)
    method = models.CharField(_("绑定方式"), max_length=20, choices=Method.choices)
    linked_at = models.DateTimeField(_("绑定时间"), default=clock.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    # Who the identity is, as the provider asserted at binding time, so the holder and the system
    # administrator can tell whose it is: the name, the phone masked (the full number is not
    # kept), and for a legal-person (法人) login the organisation asserted.
    name = models.CharField(_("姓名"), max_length=150, blank=True)
    phone_masked = models.CharField(_("手机号（隐去部分）"), max_length=40, blank=True)
    uscc = models.CharField(_("法人登录的统一社会信用代码"), max_length=18, blank=True)
    org_name = models.CharField(_("法人登录的单位名称"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("统一身份认证绑定")
        verbose_name_plural = _("统一身份认证绑定")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_identity")]

    def __str__(self) -> str:
        return f"{self.user} · {self.issuer}"

    @property
    def subject_masked(self) -> str:
        """The provider's identifier with its middle hidden: '340100199001011234abcd' → '3401****abcd'."""
        keep = min(4, len(self.subject) // 4)
        return f"{self.subject[:keep]}****{self.subject[-keep:]}" if keep else "****"

    @property
    def display(self) -> str:
        """Whose identity this is, in one line: name, masked phone, masked identifier."""
        parts = [self.name or _("（未提供姓名）")]
        if self.phone_masked:
            parts.append(_("手机 %(phone)s") % {"phone": self.phone_masked})
        parts.append(_("标识 %(subject)s") % {"subject": self.subject_masked})
        return str(_("，")).join(str(part) for part in parts)


from django_otp.models import Device  # noqa: E402


class IdentityProviderFactor(Device):
    """The second factor the identity provider asserted (`acr`/`amr`) at a sign-in: recorded as a
    django-otp device so the session counts as verified for staff, as after a TOTP code. It has
    no code of its own to check (`verify_token` is always False); its name says what was asserted."""

    class Meta:
        verbose_name = _("统一身份认证的第二因素")
        verbose_name_plural = _("统一身份认证的第二因素")
