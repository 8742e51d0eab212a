"""Pack versions loaded by the province: the database side of the policy pack.

The shipped YAML file is the first version; a 补充通知 (a window extended, an amount confirmed)
is a new version of the same batch, stored here with its text and digest, activated, and
audited. Exactly one version of each batch is active, and several batches may run side by side;
`duixian.policy.active.pack_of(batch_id)` reads a batch's. The engine itself stays free of
Django (pack.py, engine.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PackVersionQuerySet(models.QuerySet):
    def active(self) -> "PackVersionQuerySet":
        return self.filter(is_active=True)

    def of_batch(self, batch_id: str) -> "PackVersionQuerySet":
        return self.filter(batch_id=batch_id)


class PackVersion(models.Model):
    batch_id = models.CharField(_("批次"), max_length=80)
    version = models.CharField(_("版本"), max_length=40)
    digest = models.CharField(_("摘要（SHA-256）"), max_length=64)
    yaml_text = models.TextField(_("政策包文件"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如补充通知的标题"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("加载人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    loaded_by_label = models.CharField(_("加载人"), max_length=150, blank=True)
    loaded_at = models.DateTimeField(_("加载时间"))
    is_active = models.BooleanField(_("现行版本"), default=False)
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    # What changed against the version that was active when this one was loaded (policy.diff).
    changes = models.JSONField(_("变更摘要"), default=list, blank=True)

    objects = PackVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策包版本")
        verbose_name_plural = _("政策包版本")
        ordering = ["-loaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch_id", "version"], name="pack_version_unique_in_batch"),
            models.UniqueConstraint(fields=["batch_id"], condition=Q(is_active=True), name="one_active_pack_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.version}"
