"""What the city's 归口管理部门 records while reviewing: checklist results and its contact line.

The decision itself (recommend / return / not recommend) is a workflow transition on the
Application and lives in its history; these rows hold the clerk's working notes per checklist
item, and the contact person printed on the city's 汇总表.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    CORRECT = "correct", _("需补正")


class ChecklistResult(models.Model):
    """The clerk's result and note for one item of the clause's review checklist (from the pack)."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="checklist_results"
    )
    item_id = models.CharField(_("审核项目"), max_length=40)
    result = models.CharField(_("审核结果"), max_length=10, choices=CheckResult.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("审核清单结果")
        verbose_name_plural = _("审核清单结果")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item_id"], name="one_result_per_checklist_item"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.item_id}: {self.get_result_display()}"


class CityContact(models.Model):
    """联系人及联系方式 printed under 归口管理部门（盖章） on the city's 汇总表 and 推荐函."""

    city_code = models.CharField(_("地市"), max_length=6, unique=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = PlatformDateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("归口管理部门联系人")
        verbose_name_plural = _("归口管理部门联系人")

    def __str__(self) -> str:
        return f"{self.city_code} {self.contact_name} {self.contact_phone}"
