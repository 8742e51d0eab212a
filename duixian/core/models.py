"""Platform-wide records: the demo clock and the province's announcements and FAQ."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duixian.core.fields import PlatformDateTimeField


class DemoClock(models.Model):
    """A single row: the demo's 'now' at the moment it was set; it runs on from there.

    Consulted only when settings.DEMO_MODE is on, so production always uses the real clock.
    """

    demo_time = models.DateTimeField(_("演示时间"))
    set_at = models.DateTimeField(_("设置于（真实时间）"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("演示时钟")


class AnnouncementKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    FAQ = "faq", _("常见问题")


class Announcement(models.Model):
    kind = models.CharField(_("类别"), max_length=10, choices=AnnouncementKind.choices, default=AnnouncementKind.NOTICE)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    published = models.BooleanField(_("已发布"), default=True)
    pinned = models.BooleanField(_("置顶"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = PlatformDateTimeField(_("发布时间"), auto_now_add=True)
    updated_at = PlatformDateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-pinned", "-created_at"]

    def __str__(self) -> str:
        return self.title


class RateCounter(models.Model):
    """One fixed-window counter of duixian.core.ratelimit when RATELIMIT_STORE=database: shared by
    every process and app server, incremented atomically in one statement. Rows are throwaway
    (expired ones are deleted as the limiter goes along)."""

    bucket = models.CharField(max_length=250, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("限流计数")
