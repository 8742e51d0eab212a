"""Registries the province imports: versions (one per import, kept) and their rows.

The latest active version of each kind is the one the matcher uses; a withdrawn version stays
for the record and the previous active one takes its place. Applicants' notes on a registry
fact and the reminders sent to parks that owe an evaluation live here too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES


class RegistryVersion(models.Model):
    kind = models.CharField(_("登记册类型"), max_length=40, choices=KIND_CHOICES, db_index=True)
    number = models.PositiveIntegerField(_("版本号"))
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("导入时间"))
    active = models.BooleanField(_("有效"), default=True)
    withdrawn_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("停用人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    withdraw_reason = models.CharField(_("停用原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("登记册版本")
        verbose_name_plural = _("登记册版本")
        ordering = ["kind", "-number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="registry_version_number_unique")]

    def __str__(self) -> str:
        return _("%(kind)s 第%(number)s版") % {"kind": self.get_kind_display(), "number": self.number}


class RegistryEntry(models.Model):
    version = models.ForeignKey(RegistryVersion, on_delete=models.CASCADE, related_name="entries")
    line = models.PositiveIntegerField(_("行号"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("单位名称"), max_length=200)
    project_name = models.CharField(_("项目或园区名称"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    evaluated_in_2025 = models.BooleanField(_("参加2025年度绩效评价"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=300)

    class Meta:
        verbose_name = _("登记册条目")
        verbose_name_plural = _("登记册条目")
        ordering = ["version", "line"]


class RegistryNote(models.Model):
    """What an applicant says about a registry fact that overrode its answer."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="registry_notes")
    fact = models.CharField(_("事实"), max_length=60, blank=True)
    text = models.TextField(_("说明"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("登记册核对说明")
        verbose_name_plural = _("登记册核对说明")
        ordering = ["application", "created_at", "pk"]


class EvaluationReminder(models.Model):
    """A reminder to a park that must take part in this year's evaluation (五、（一）4)."""

    # Keyed by the park, not by a registry row: a new registry version keeps the history.
    uscc = models.CharField(_("运营单位统一社会信用代码"), max_length=18, db_index=True)
    park_name = models.CharField(_("园区名称"), max_length=200)
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("绩效评价提醒")
        verbose_name_plural = _("绩效评价提醒")
        ordering = ["-sent_at", "-pk"]
