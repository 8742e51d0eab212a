"""好差评: an organisation's rating of the service at one stage of one application."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class RatedStage(models.TextChoices):
    """The stages whose service is rated: each ends with a decision the organisation receives."""

    CITY = "city", _("市级审核推荐")
    PROVINCE = "province", _("省级评审决定")


class ServiceRating(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="ratings")
    stage = models.CharField(_("办理环节"), max_length=12, choices=RatedStage.choices)
    # The city that reviewed it (the application's, at the time): ratings are read by city.
    city_code = models.CharField(_("归口管理部门所在市"), max_length=6, db_index=True)
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = PlatformDateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="one_rating_per_application_stage"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.score}"
