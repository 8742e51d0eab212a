"""Accounts: one person, one role, scoped to an organisation or a city where the role needs it."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duixian.accounts.roles import ADMIN_ROLES, Role


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
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

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""
