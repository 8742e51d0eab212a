"""Every 汇总表 and 推荐函 a city downloaded, archived byte for byte and numbered.

The bureau prints, signs and stamps what it downloaded; the platform keeps exactly those bytes,
so the paper at the province's window and the file on the platform can always be compared
(sha256). A download whose bytes equal the latest version's re-serves that version; different
bytes (a new recommendation, a changed contact line, another letter date) make the next
version, with what changed against the previous one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    SUMMARY_XLSX = "summary_xlsx", _("汇总表（Excel）")
    SUMMARY_DOCX = "summary_docx", _("汇总表（Word）")
    LETTER_DOCX = "letter_docx", _("推荐函（Word）")


class ExportVersion(models.Model):
    city_code = models.CharField(_("地市"), max_length=6, db_index=True)
    batch_id = models.CharField(_("批次"), max_length=80)  # each batch's files are numbered on their own
    kind = models.CharField(_("文件"), max_length=20, choices=ExportKind.choices)
    number = models.PositiveIntegerField(_("版本号"))
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField(_("文件内容"))
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # What the file lists: [{"reference", "project_name", "amount_wan"}], the total, the contact
    # line and (推荐函) the date written on it; `changes` compares them with the previous version.
    rows = models.JSONField(_("所列项目"), default=list)
    total_wan = models.DecimalField(_("拟申请兑现金额合计（万元）"), max_digits=14, decimal_places=2)
    contact_line = models.CharField(_("联系人及联系方式"), max_length=200, blank=True)
    issued_on = models.DateField(_("落款日期"), null=True, blank=True)
    changes = models.JSONField(_("与上一版相比"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_by_label = models.CharField(_("生成人"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("导出文件版本")
        verbose_name_plural = _("导出文件版本")
        ordering = ["city_code", "batch_id", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["city_code", "batch_id", "kind", "number"], name="one_export_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.city_code} {self.get_kind_display()} v{self.number}"
