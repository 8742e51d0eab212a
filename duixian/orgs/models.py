"""Organisations that apply (or receive 免申即享 results) and the facts the rules use about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


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
    # The 关联企业 the organisation itself states (USCCs, 三（一）3); the compute subsidy puts it in
    # one group with each of them that is registered on the platform (duixian.compute.selectors).
    affiliates = models.JSONField(_("关联企业（统一社会信用代码）"), default=list, blank=True)

    created_at = PlatformDateTimeField(_("注册时间"), auto_now_add=True)

    # Registration and confirmation (issue 4).
    # True when the city was chosen by the registrant (province-level, central or outside-Anhui
    # codes, or a team without a code) instead of derived from the code: the clerk confirms it.
    city_chosen = models.BooleanField(_("地市由申报单位选择"), default=False)
    # A team without a code, or an organisation registered outside Anhui that moved to Anhui
    # after the competition, may apply for clause 四 only.
    clause4_only = models.BooleanField(_("仅可申报受理参赛团队与迁入单位的条款"), default=False)
    # Prior support received (不重复支持), in the CONTRACTS §2 vocabulary.
    prior_support = models.JSONField(_("已获支持"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("未通过原因"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------
# Registration, authority, people and the history of stated facts (issue 4).
# ---------------------------------------------------------------------------

from django.conf import settings  # noqa: E402


class OrgRole(models.TextChoices):
    """A person's role inside their organisation (not the platform role)."""

    MANAGER = "manager", _("经办人")
    EDITOR = "editor", _("填报人")
    VIEWER = "viewer", _("查看人")


# The prior-support vocabulary of CONTRACTS §2 (scene.prior_support and operator.prior_support).
PRIOR_SUPPORT_CHOICES = [
    ("future_industry_benchmark", _("省未来产业标杆应用场景支持")),
    ("similar_provincial_support", _("其他类似省级支持")),
    ("clause1_scene_project", _("人工智能场景创新项目（揭榜挂帅）支持")),
    ("high_level_innovation_platform", _("省级高能级创新平台政策支持")),
    ("proof_of_concept_center", _("概念验证中心政策支持")),
    ("pilot_base", _("科技成果中试基地政策支持")),
    ("top_incubator", _("顶尖孵化器政策支持")),
]
SCENE_PRIOR_SUPPORT = ("future_industry_benchmark", "similar_provincial_support", "clause1_scene_project")
OPERATOR_PRIOR_SUPPORT = ("high_level_innovation_platform", "proof_of_concept_center", "pilot_base", "top_incubator")


class OrgMembership(models.Model):
    """One applicant account's place in its organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("单位内角色"), max_length=10, choices=OrgRole.choices, default=OrgRole.EDITOR)
    active = models.BooleanField(_("有效"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = PlatformDateTimeField(_("加入时间"), auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(role="manager", active=True),
                name="one_active_manager_per_organisation",
            )
        ]


class ConsentRecord(models.Model):
    """A person's consent to the processing of personal information (个人信息保护法 第十三、十四条)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("场景"), max_length=20)  # "registration" | "invitation"
    version = models.CharField(_("告知书版本"), max_length=40)
    text_sha256 = models.CharField(_("告知书摘要"), max_length=64)
    accepted_at = models.DateTimeField(_("同意时间"))
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)

    class Meta:
        verbose_name = _("个人信息处理同意记录")
        verbose_name_plural = _("个人信息处理同意记录")


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class AuthorityLetter(models.Model):
    """The 授权书 (with the organisation's seal) that makes the first user its 经办人."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="authority_letters")
    # A random name in the default storage (MEDIA_ROOT/authority/, outside the web root, or the
    # bucket when S3_BUCKET is set); served only by a checked view.
    file = models.FileField(_("授权书文件"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    status = models.CharField(_("状态"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("未通过原因"), blank=True)

    class Meta:
        verbose_name = _("授权书")
        verbose_name_plural = _("授权书")
        ordering = ["-uploaded_at", "-pk"]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class Invitation(models.Model):
    """A one-time link by which the 经办人 brings a colleague in. Only the token's hash is kept."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    token_sha256 = models.CharField(max_length=64, unique=True)
    role = models.CharField(_("单位内角色"), max_length=10, choices=OrgRole.choices, default=OrgRole.EDITOR)
    note = models.CharField(_("被邀请人（备注）"), max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("成员邀请")
        verbose_name_plural = _("成员邀请")
        ordering = ["-created_at"]


class FactChange(models.Model):
    """Who stated which organisation fact, when, and what it was before (the profile's history)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="fact_changes")
    fact = models.CharField(_("事项"), max_length=40)
    old_value = models.JSONField(_("原值"), null=True, blank=True)
    new_value = models.JSONField(_("新值"), null=True, blank=True)
    stated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    stated_at = models.DateTimeField(_("声明时间"))

    class Meta:
        verbose_name = _("单位信息变更记录")
        verbose_name_plural = _("单位信息变更记录")
        ordering = ["-stated_at", "-pk"]
