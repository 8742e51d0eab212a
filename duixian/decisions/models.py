"""The province's work after the cities: paper receipts, expert review, decisions, 公示, money.

Application.state is never written here: approve / reject / publish / pay go through
duixian.applications.workflow.application_transition. What the lifecycle does not hold (the
amount decided, the panel's scores, the published snapshot, objections, funding records) lives
in these models, each row pointing at its Application.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaperReceipt(models.Model):
    """What a city's 归口管理部门 delivered on paper to the 省政务中心省科技厅窗口 (六、（三）),
    for one batch: judged by that batch's pack's delivery rules (deadline, items, copies)."""

    city_code = models.CharField(_("地市"), max_length=6)
    batch_id = models.CharField(_("批次"), max_length=80, db_index=True)
    received_at = models.DateTimeField(_("接收时间"))
    # the pack's `delivery.items` received, in its words (e.g. 推荐函)
    items = models.JSONField(_("已收材料"), default=list, blank=True)
    copies = models.PositiveSmallIntegerField(_("份数"), default=2)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("纸质材料接收登记")
        verbose_name_plural = _("纸质材料接收登记")
        ordering = ["batch_id", "city_code"]
        constraints = [models.UniqueConstraint(fields=["city_code", "batch_id"], name="one_receipt_per_city_and_batch")]

    def on_time(self, deadline) -> bool:
        return self.received_at < deadline

    def complete(self, delivery) -> bool:
        """Every item the batch's pack asks for (`delivery.items`), in as many copies."""
        return all(item in self.items for item in delivery.items) and self.copies >= delivery.copies


class ExpertPanel(models.Model):
    """An expert group (专家组) for one clause of one batch."""

    batch_id = models.CharField(_("批次"), max_length=80, db_index=True)
    clause = models.CharField(_("依据政策条款"), max_length=4)
    name = models.CharField(_("专家组名称"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("专家"), related_name="expert_panels")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("专家组")
        verbose_name_plural = _("专家组")
        ordering = ["batch_id", "clause", "name"]
        constraints = [models.UniqueConstraint(fields=["batch_id", "clause", "name"],
                                               name="one_panel_name_per_clause_and_batch")]

    def __str__(self) -> str:
        return self.name

    @property
    def clause_label(self) -> str:
        """The clause as the panel's batch's notice names it (`display.clause_name`), not its number."""
        from duixian.applications import policy_bridge

        return policy_bridge.clause_label(self.clause, batch_id=self.batch_id)


class ConflictRelation(models.TextChoices):
    EMPLOYER = "employer", _("本人所在单位")
    FORMER = "former", _("近三年曾任职或兼职的单位")
    INTEREST = "interest", _("有其他利害关系的单位（持股、合作、亲属任职等）")


class ConflictDeclaration(models.Model):
    """An organisation an expert declared (回避申报): never assigned that organisation's applications.

    Either a 统一社会信用代码 or a registered organisation; a code also matches an organisation
    registered after the declaration.
    """

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("单位"))
    organisation_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    relation = models.CharField(_("关系"), max_length=12, choices=ConflictRelation.choices)
    declared_at = models.DateTimeField(_("申报时间"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        ordering = ["expert", "declared_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(uscc="") | Q(organisation__isnull=False),
                                   name="declaration_names_an_organisation"),
        ]


class Assignment(models.Model):
    """One application given to one expert of a panel, and that expert's scoring sheet."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="expert_assignments")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    panel = models.ForeignKey(ExpertPanel, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("分配时间"))
    # {criterion id: points}; the total is their sum, kept for ordering and the panel mean.
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # The reviewer judgements in the CONTRACTS §2 vocabulary, flat: {"scene.demonstration_effect": true}.
    review_facts = models.JSONField(_("评审认定"), default=dict, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家评审分配")
        verbose_name_plural = _("专家评审分配")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="one_assignment_per_expert")]

    @property
    def scored(self) -> bool:
        return self.scored_at is not None


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("评审通过")
    REJECTED = "rejected", _("评审不通过")


class Decision(models.Model):
    """The province's decision on one recommended application: the amount, or the reason."""

    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT, related_name="decision")
    batch_id = models.CharField(_("批次"), max_length=80, db_index=True)  # the application's batch (pack)
    outcome = models.CharField(_("决定"), max_length=10, choices=DecisionOutcome.choices)
    amount_wan = models.DecimalField(_("核定兑现金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    cap_wan = models.DecimalField(_("决定时的兑现上限（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    verdict = models.JSONField(_("决定时的预审结果（含专家认定）"), default=dict, blank=True)
    batch = models.CharField(_("批量操作编号"), max_length=32, blank=True)
    # Why an expert-reviewed clause (评比) was approved without the panel's complete scores.
    panel_waiver = models.TextField(_("未经专家评分即决定的理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("省级决定")
        verbose_name_plural = _("省级决定")
        ordering = ["-decided_at", "pk"]
        constraints = [
            # An approval states its amount; 0 only for a park that is evaluated but not redeemed
            # (五（一）4 — the service allows 0 for no other verdict).
            models.CheckConstraint(
                condition=Q(outcome="rejected") | Q(amount_wan__gte=0), name="approved_decision_has_amount"),
        ]


class Publication(models.Model):
    """One 公示: a list of approved applications shown to the public for some working days."""

    title = models.CharField(_("公示标题"), max_length=200)
    batch_id = models.CharField(_("批次"), max_length=80, db_index=True)  # one 公示 lists one batch's projects
    published_at = models.DateTimeField(_("公示开始时间"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"))
    last_day = models.DateField(_("公示期最后一天"))
    # Exclusive: 00:00 Beijing time of the day after `last_day`.
    ends_at = models.DateTimeField(_("公示截止时间"))
    contact = models.CharField(_("异议受理联系方式"), max_length=200, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, moment) -> bool:
        return self.published_at <= moment < self.ends_at


class PublicationItem(models.Model):
    """One published row, frozen at publication with personal data already masked."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="items")
    application = models.OneToOneField("applications.Application", on_delete=models.PROTECT,
                                       related_name="publication_item")
    number = models.PositiveIntegerField(_("序号"))
    organisation_name = models.CharField(_("申报单位"), max_length=200)
    project_name = models.CharField(_("项目名称"), max_length=200)
    clause_cell = models.CharField(_("依据政策条款"), max_length=100)
    city_name = models.CharField(_("归口管理部门"), max_length=40)
    amount_wan = models.DecimalField(_("拟兑现金额（万元）"), max_digits=12, decimal_places=2)
    contact_masked = models.CharField(_("项目联系人及联系方式"), max_length=120)

    class Meta:
        verbose_name = _("公示项目")
        verbose_name_plural = _("公示项目")
        ordering = ["publication", "number"]


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    ANSWERED = "answered", _("已答复")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) to a 公示, from anyone, during the period."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="objections")
    item = models.ForeignKey(PublicationItem, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="objections", verbose_name=_("异议项目"))
    reference = models.CharField(_("受理编号"), max_length=24, unique=True)
    name = models.CharField(_("异议人姓名或单位"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=40)
    body = models.TextField(_("异议内容及理由"))
    submitted_at = models.DateTimeField(_("提出时间"))
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("处理意见"), blank=True)
    # The province's finding (成立 / 不成立) with `answer` as its reason; an upheld objection names
    # the decision it changes (its project's approval: no money moves on it afterwards).
    outcome = models.CharField(_("异议处理结果"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="objections",
                                 verbose_name=_("异议涉及的决定"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["submitted_at", "pk"]


class ObjectionAttachment(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="attachments")
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")
        ordering = ["objection", "pk"]


class FundingKind(models.TextChoices):
    ALLOCATION = "allocation", _("资金下达")
    PAYMENT = "payment", _("资金拨付")
    RECOVERY = "recovery", _("资金追回")


class FundingRecord(models.Model):
    """Money moving for one application: allocated (资金下达), paid, or recovered (追回)."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="funding")
    kind = models.CharField(_("类型"), max_length=12, choices=FundingKind.choices)
    on_date = models.DateField(_("日期"))
    amount_wan = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2)
    voucher = models.CharField(_("凭证号或文号"), max_length=60)
    reason = models.TextField(_("原因"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("资金记录")
        verbose_name_plural = _("资金记录")
        ordering = ["application", "on_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_wan__gt=0), name="funding_amount_positive"),
            models.CheckConstraint(condition=~Q(kind="recovery") | ~Q(reason=""), name="recovery_has_reason"),
        ]
