"""单位证照库: documents an organisation uploads once (营业执照, 授权书, 信用报告, 知识产权证明 …)
and attaches to the material slots of any of its applications.

A document row is one version and never changes: a new version is a new row that `replaces`
the old one, which is retired (hidden from the choice) but kept, because a submitted
application's snapshot names the version it used. Attaching copies the file into the slot as
an ordinary Material (checked again like any upload) whose `wallet_document` names the version
it came from, so the clerk sees where each file came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class DocumentType(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照或法人登记证书")
    AUTHORISATION = "authorisation", _("授权书")
    CREDIT_REPORT = "credit_report", _("信用报告")
    IP_PROOF = "ip_proof", _("知识产权证明")
    OTHER = "other", _("其他证照")


class WalletDocumentQuerySet(models.QuerySet):
    def current(self) -> "WalletDocumentQuerySet":
        return self.filter(retired_at__isnull=True)

    def of_organisation(self, organisation_id) -> "WalletDocumentQuerySet":
        return self.filter(organisation_id=organisation_id)


class WalletDocument(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="wallet_documents")
    doc_type = models.CharField(_("证照类型"), max_length=20, choices=DocumentType.choices)
    title = models.CharField(_("名称"), max_length=100)
    issuer = models.CharField(_("发证（出具）机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)  # none: 长期有效
    version = models.PositiveIntegerField(_("版本"), default=1)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    stored_name = models.CharField(max_length=120, unique=True)  # the storage's name: wallet/<random>.<ext>
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = PlatformDateTimeField(_("上传时间"), auto_now_add=True)

    objects = WalletDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("证照")
        verbose_name_plural = _("证照")
        ordering = ["organisation", "doc_type", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return _("%(title)s（第%(version)s版）") % {"title": self.title, "version": self.version}

    def expired_on(self, day) -> bool:
        """Past its validity on `day` (a date in Beijing time); a document without an end never is."""
        return self.valid_until is not None and self.valid_until < day

