"""Applications (申报): one organisation's request under one clause for one project.

The state field is changed only by `duixian.applications.workflow.application_transition`;
nothing else writes it. Materials are files stored under random names outside the web root,
served only through a permission-checked view. A Submission freezes what the city saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待市级审核")
    RETURNED = "returned", _("已退回补正")
    RECOMMENDED = "recommended", _("市级已推荐")
    NOT_RECOMMENDED = "not_recommended", _("市级不予推荐")
    EXPIRED = "expired", _("逾期未审核或未补正")
    APPROVED = "approved", _("省级评审通过")
    REJECTED = "rejected", _("省级评审未通过")
    PUBLISHED = "published", _("已公示")
    PARTLY_PAID = "partly_paid", _("部分拨付")  # paid in part: 已兑现拨付 only once the approved amount is paid
    PAID = "paid", _("已兑现拨付")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationQuerySet(models.QuerySet):
    def of_organisation(self, organisation_id) -> "ApplicationQuerySet":
        return self.filter(organisation_id=organisation_id)

    def in_city(self, city_code: str) -> "ApplicationQuerySet":
        return self.filter(city_code=city_code)

    def submitted_at_least_once(self) -> "ApplicationQuerySet":
        return self.exclude(first_submitted_at__isnull=True)

    def in_state(self, *states) -> "ApplicationQuerySet":
        return self.filter(state__in=states)


# The states in which the organisation may still change its application.
EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.RETURNED)


class Application(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="applications"
    )
    # The organisation's city when the application was made: the 归口管理部门 that reviews it.
    city_code = models.CharField(_("归口管理部门所在市"), max_length=6, db_index=True)
    batch_id = models.CharField(_("批次"), max_length=40)
    pack_version = models.CharField(_("政策包版本"), max_length=40, blank=True)
    clause = models.CharField(_("依据政策条款"), max_length=4)
    # One of the clause's application types in the application's pack (e.g. creation, evaluation),
    # checked against the pack when the application is created; labels are the pack's.
    application_type = models.CharField(_("申报类型"), max_length=12, blank=True)
    project_name = models.CharField(_("项目名称"), max_length=200)
    facts = models.JSONField(_("申报信息"), default=dict, blank=True)
    amount_requested_wan = models.DecimalField(
        _("拟申请兑现金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    contact_name = models.CharField(_("项目联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, db_index=True
    )
    # Bumped on every transition: a second clerk acting on a stale page is told, not obeyed.
    version = models.PositiveIntegerField(default=0)
    reference = models.CharField(_("申报编号"), max_length=32, unique=True, null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    declaration_confirmed = models.BooleanField(_("已确认信息真实性承诺"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = PlatformDateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = PlatformDateTimeField(_("更新时间"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("兑现申报")
        verbose_name_plural = _("兑现申报")
        ordering = ["-created_at"]
        constraints = [
            # One application per organisation, batch, clause and project (next year's notice may
            # take the same project again). A withdrawn one no longer counts, so an applicant who
            # withdrew may start the same project again.
            models.UniqueConstraint(
                fields=["organisation", "batch_id", "clause", "project_name"],
                condition=~Q(state="withdrawn"),
                name="one_application_per_org_clause_project",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested_wan__isnull=True) | Q(amount_requested_wan__gte=0),
                name="application_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('草稿')} {self.project_name}"

    @property
    def state_label(self) -> str:
        return ApplicationState(self.state).label

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def batch_title(self) -> str:
        """The title of the notice (batch) this application belongs to."""
        from duixian.applications import policy_bridge

        return policy_bridge.application_pack(self).title

    @property
    def clause_label(self) -> str:
        from duixian.applications import policy_bridge

        return policy_bridge.clause_label(self.clause, self.application_type, self.batch_id)


class Material(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    slot = models.CharField(_("材料项"), max_length=64)
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = PlatformDateTimeField(_("上传时间"), auto_now_add=True)
    # The 单位证照库 document version this file was copied from (duixian.wallet); none: uploaded here.
    wallet_document = models.ForeignKey("wallet.WalletDocument", verbose_name=_("来自单位证照库"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="materials")

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["slot", "uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["application", "slot"], name="one_file_per_material_slot")]

    def __str__(self) -> str:
        return self.original_name


class Submission(models.Model):
    """What was submitted, frozen: the answers, the verdict then, the pack, the materials."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("第几次提交"))
    token = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(_("申报信息"))
    verdict = models.JSONField(_("系统预审结果"), default=dict)
    pack_version = models.CharField(_("政策包版本"), max_length=40, blank=True)
    # sha256 of the pack text the verdict was computed with (PackVersion.digest): the exact file.
    pack_digest = models.CharField(_("政策包摘要"), max_length=64, blank=True)
    materials = models.JSONField(_("材料清单"), default=list)
    amount_requested_wan = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("提交快照")
        verbose_name_plural = _("提交快照")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_snapshot_per_submission")]


class ReceiptOutcome(models.TextChoices):
    PENDING = "pending", _("核验中")
    ACCEPTED = "accepted", _("已提交")
    REFUSED = "refused", _("未能提交")


class SubmissionReceipt(models.Model):
    """A submit button press, written the moment it arrives and checked after (receipts.py).

    The deadline is judged at `received_at`, not when the checks run: a press at 23:58:59 that
    is checked at 23:59:03 in the last-hour surge is on time."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="receipts")
    token = models.CharField(max_length=64, unique=True)  # the form's idempotency key
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("受理时间"))
    declaration = models.BooleanField(default=False)
    expected_state = models.CharField(max_length=20)
    ip = models.CharField(max_length=45, blank=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=ReceiptOutcome.choices,
                               default=ReceiptOutcome.PENDING, db_index=True)
    message = models.TextField(_("说明"), blank=True)
    # Indexed: 正在核验 reads the workers' pace from the checks of the last seconds.
    processed_at = models.DateTimeField(_("核验时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("提交受理记录")
        verbose_name_plural = _("提交受理记录")
        ordering = ["application", "received_at", "pk"]


class StateChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ApplicationState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ApplicationState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("操作人"), max_length=120, blank=True)
    at = models.DateTimeField(_("时间"))
    reason = models.TextField(_("理由"), blank=True)
    # For a return (退回补正): {checklist item id: the clerk's reason for that item}.
    item_reasons = models.JSONField(_("逐项退回理由"), default=dict, blank=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["application", "at", "pk"]

    @property
    def action_label(self) -> str:
        from duixian.applications.workflow import TRANSITIONS

        transition = TRANSITIONS.get(self.action)
        return str(transition.label) if transition else self.action


class Notification(models.Model):
    """An in-app message to one user or to every member of an organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("事件"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = PlatformDateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    @cached_property
    def shown(self) -> tuple[str, str]:
        """(title, body) in the reader's language (duixian.applications.notifications.shown)."""
        from duixian.applications.notifications import shown

        return shown(self)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(organisation__isnull=False), name="notification_has_recipient"
            )
        ]
