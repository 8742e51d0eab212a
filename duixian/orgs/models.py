"""Organisations that apply (or receive 免申即享 results) and the facts the rules use about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    PARK_OPERATOR = "park_operator", _("园区运营单位")
    TEAM = "team", _("参赛团队")


class OrgStatus(models.TextChoices):
    PENDING = "pending", _("待归口管理部门确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过确认")


class OrganisationQuerySet(models.QuerySet):
    def in_city(self, city_code: str) -> "OrganisationQuerySet":
        return self.filter(city_code=city_code)

    def confirmed(self) -> "OrganisationQuerySet":
        return self.filter(status=OrgStatus.CONFIRMED)


class Organisation(models.Model):
    # A competition team may register before it has a code (clause 四 only), hence nullable.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, null=True, blank=True)
    name = models.CharField(_("单位名称"), max_length=200)
    kind = models.CharField(_("单位类型"), max_length=20, choices=OrgKind.choices)
    region_code = models.CharField(_("登记管理机关行政区划码"), max_length=6, blank=True)
    # The city whose 归口管理部门 handles this organisation: derived from the code, or chosen
    # for province-level / centrally registered codes and then confirmed by that city's clerk.
    city_code = models.CharField(_("所属地市"), max_length=6, blank=True, db_index=True)
    in_anhui = models.BooleanField(_("在安徽省内登记注册"), null=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=OrgStatus.choices, default=OrgStatus.PENDING)

    independent_legal_person = models.BooleanField(_("具有独立法人资格"), null=True)
    agi_enterprise = models.BooleanField(_("通用人工智能企业"), null=True)
    owns_ip = models.BooleanField(_("拥有明晰的自主知识产权"), null=True)
    credit_good = models.BooleanField(_("社会信用记录良好"), null=True)
    major_violation = models.BooleanField(_("有重大违法行为"), null=True)
    # Affiliated organisations (关联企业) share a group: their compute use counts as 自建自用.
    group_id = models.CharField(_("关联关系组"), max_length=64, blank=True)

    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
