"""Metering imports and subsidy runs. Raw records stay in Parquet files; only results live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField

QUANTITY = {"max_digits": 38, "decimal_places": 6}


class ImportSource(models.TextChoices):
    UPLOAD = "upload", _("网页上传")
    COMMAND = "command", _("命令行")
    API = "api", _("调度平台接口")


class MeteringImport(models.Model):
    """One accepted metering file. Refused files leave no row (only an audit event).

    ``stored`` holds the records this import added, as typed Parquet (DECIMAL(38,6), BOOLEAN,
    TIMESTAMPTZ): record_ids already present in earlier imports with identical content are not
    stored again, so importing the same file twice changes nothing. The name
    (`metering/<file>.parquet`) is a file under METERING_ROOT (`services.metering_path`), not
    in the default storage: DuckDB reads it from the local file system.
    """

    created_at = PlatformDateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    machine_client = models.ForeignKey("api.MachineToken", verbose_name=_("接口客户端"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("来源"), max_length=10, choices=ImportSource.choices)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(_("原文件SHA-256"), max_length=64, db_index=True)
    stored = models.FileField(_("新增记录（Parquet）"), upload_to="metering/", blank=True)
    rows_in_file = models.PositiveBigIntegerField(_("文件行数"))
    new_records = models.PositiveBigIntegerField(_("新增记录数"))
    already_present = models.PositiveBigIntegerField(_("此前已导入的记录数"))
    repeats_in_file = models.PositiveBigIntegerField(_("文件内相同的重复记录数"))

    class Meta:
        verbose_name = _("计量数据导入")
        verbose_name_plural = _("计量数据导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name or self.sha256[:12]}（新增 {self.new_records} 条）"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("计算中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class SubsidyRunQuerySet(models.QuerySet):
    def succeeded(self) -> "SubsidyRunQuerySet":
        return self.filter(status=RunStatus.SUCCEEDED)


class SubsidyRun(models.Model):
    """One computation over every stored import. Results appear all at once when it succeeds,
    so a run that fails midway leaves the previous run's results as the current ones."""

    created_at = PlatformDateTimeField(_("开始时间"), auto_now_add=True)
    batch_id = models.CharField(_("批次"), max_length=80)  # whose pack set the period and units
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.RUNNING)
    error = models.TextField(_("失败原因"), blank=True)
    period_start = models.DateTimeField(_("项目周期开始"))
    period_end = models.DateTimeField(_("项目周期结束（不含）"))
    units = models.JSONField(_("计量单位"), default=dict)
    imports = models.ManyToManyField(MeteringImport, verbose_name=_("使用的导入"), blank=True,
                                     related_name="runs")
    records = models.PositiveBigIntegerField(_("记录数"), default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    # The last day (Asia/Shanghai, inclusive) on which organisations may confirm or object.
    objection_last_day = models.DateField(_("异议期最后一天"), null=True, blank=True)

    objects = SubsidyRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("算力补助计算")
        verbose_name_plural = _("算力补助计算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"算力补助计算 #{self.pk}（{self.get_status_display()}）"

    @property
    def objection_deadline(self):
        """The first instant after the objection period (exclusive), or None before publishing."""
        if self.objection_last_day is None:
            return None
        from datetime import datetime, time, timedelta

        from duixian.core.clock import SHANGHAI

        return datetime.combine(self.objection_last_day + timedelta(days=1), time(0), SHANGHAI)


class SubsidyResult(models.Model):
    run = models.ForeignKey(SubsidyRun, on_delete=models.CASCADE, related_name="results")
    uscc = models.CharField(_("统一社会信用代码"), max_length=64)
    name = models.CharField(_("单位名称"), max_length=200, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("单位"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    used = models.DecimalField(_("算力使用量"), **QUANTITY)
    provided = models.DecimalField(_("算力被使用量"), **QUANTITY)
    net = models.DecimalField(_("净使用量"), **QUANTITY)
    excluded_outside_period = models.DecimalField(_("不计入：不在项目周期内"), **QUANTITY)
    excluded_not_via_platform = models.DecimalField(_("不计入：未经平台统一入口"), **QUANTITY)
    excluded_outside_province = models.DecimalField(_("不计入：非省内算力"), **QUANTITY)
    excluded_self_or_affiliate = models.DecimalField(_("不计入：自建自用"), **QUANTITY)
    excluded_business = models.DecimalField(_("不计入：经营性使用"), **QUANTITY)
    eligible = models.BooleanField(_("符合条件"))
    reasons = models.JSONField(_("说明"), default=list)
    subsidy_quantity = models.DecimalField(_("算力补助量"), **QUANTITY)
    # By month and by provider (engine.organisation_breakdown), computed on first view.
    breakdown = models.JSONField(_("分月、分提供方明细"), null=True, blank=True)
    response = models.CharField(_("单位回复"), max_length=10, blank=True, default="",
                                choices=[("", _("未回复")), ("confirmed", _("已确认")),
                                         ("objected", _("已提出异议"))])
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回复人"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("算力补助结果")
        verbose_name_plural = _("算力补助结果")
        ordering = ["uscc"]
        constraints = [models.UniqueConstraint(fields=["run", "uscc"], name="compute_result_unique")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.subsidy_quantity}"

    @property
    def needs_review(self) -> bool:
        """Not eligible only because of its kind (三（二）"等"): the province decides."""
        from .engine import needs_review

        return needs_review(list(self.reasons or []))


# --------------------------------------------------------------------------------------------
# Publishing a run to the organisations (免申即享): confirm or object within the period.


class Response(models.TextChoices):
    NONE = "", _("未回复")
    CONFIRMED = "confirmed", _("已确认")
    OBJECTED = "objected", _("已提出异议")


class JobKind(models.TextChoices):
    IMPORT = "import", _("导入计量数据")
    RUN = "run", _("计算算力补助")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("执行中")
    SUCCEEDED = "succeeded", _("已完成")
    REFUSED = "refused", _("文件未被接受")
    FAILED = "failed", _("失败")


class ComputeJob(models.Model):
    """One import or run the province started in the browser, done by a background task.

    Keeps what the page needs once the task is over: the import or run it made, or every bad
    line of a refused file (a refused file leaves no MeteringImport).
    """

    kind = models.CharField(_("类型"), max_length=10, choices=JobKind.choices)
    task_id = models.UUIDField(_("后台任务"), null=True, blank=True, unique=True)
    created_at = PlatformDateTimeField(_("提交时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    upload = models.CharField(_("待导入文件"), max_length=300, blank=True)  # under METERING_ROOT: services.metering_path
    problems = models.JSONField(_("错误行"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    metering_import = models.ForeignKey(MeteringImport, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    run = models.ForeignKey(SubsidyRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # a run: the batch whose pack gives its period and units (empty: the default batch)
    batch_id = models.CharField(_("批次"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("算力补助后台任务")
        verbose_name_plural = _("算力补助后台任务")
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.REFUSED, JobStatus.FAILED)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已答复")


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立，将重新计算")
    DISMISSED = "dismissed", _("异议不成立，维持结果")


class SubsidyObjection(models.Model):
    """An organisation's 异议 against its published result, and the province's recorded answer."""

    result = models.ForeignKey(SubsidyResult, on_delete=models.CASCADE, related_name="objections")
    created_at = PlatformDateTimeField(_("提出时间"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("异议理由"))
    attachment = models.CharField(_("附件"), max_length=300, blank=True)  # its name in the default storage
    attachment_name = models.CharField(_("附件原文件名"), max_length=255, blank=True)
    attachment_type = models.CharField(_("附件类型"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    outcome = models.CharField(_("处理结论"), max_length=10, choices=ObjectionOutcome.choices, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    resolved_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("算力补助异议")
        verbose_name_plural = _("算力补助异议")
        ordering = ["-created_at", "-id"]
