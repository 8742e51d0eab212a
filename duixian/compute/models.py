"""Metering imports and subsidy runs. Raw records stay in Parquet files; only results live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUANTITY = {"max_digits": 38, "decimal_places": 6}


class ImportSource(models.TextChoices):
    UPLOAD = "upload", _("网页上传")
    COMMAND = "command", _("命令行")
    API = "api", _("调度平台接口")


class MeteringImport(models.Model):
    """One accepted metering file. Refused files leave no row (only an audit event).

    ``stored`` holds the records this import added, as typed Parquet (DECIMAL(38,6), BOOLEAN,
    TIMESTAMPTZ): record_ids already present in earlier imports with identical content are not
    stored again, so importing the same file twice changes nothing.
    """

    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
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

    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
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

    objects = SubsidyRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("算力补助计算")
        verbose_name_plural = _("算力补助计算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"算力补助计算 #{self.pk}（{self.get_status_display()}）"


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

    class Meta:
        verbose_name = _("算力补助结果")
        verbose_name_plural = _("算力补助结果")
        ordering = ["uscc"]
        constraints = [models.UniqueConstraint(fields=["run", "uscc"], name="compute_result_unique")]

    def __str__(self) -> str:
        return f"{self.uscc} {self.subsidy_quantity}"
