"""政策解读: the province's plain-language reading of one clause, kept as a history of revisions.

Nothing is overwritten: each save is a new revision, the page shows the latest, and the history
(who, when, why) is the list of revisions; each save is also an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class InterpretationQuerySet(models.QuerySet):
    def of_clause(self, batch_id: str, clause: str) -> "InterpretationQuerySet":
        return self.filter(batch_id=batch_id, clause=str(clause))


class Interpretation(models.Model):
    batch_id = models.CharField(_("批次"), max_length=40)
    clause = models.CharField(_("政策条款"), max_length=4)
    body = models.TextField(_("解读正文"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    edited_at = PlatformDateTimeField(_("修改时间"), auto_now_add=True)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["batch_id", "clause", "-edited_at", "-pk"]
        indexes = [models.Index(fields=["batch_id", "clause", "-edited_at"], name="interpretation_latest")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.clause} {self.edited_at:%Y-%m-%d %H:%M}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n") if p.strip()]
