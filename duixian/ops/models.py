"""Operations records: the lease a worker holds on a running task, and a task's progress.

A database-backed task whose worker dies stays RUNNING for ever (django-tasks-db does not
recover it). The worker started by `duixian worker` therefore holds a lease per running task and
renews it from a heartbeat thread; a reaper re-queues a task whose lease ran out (bounded
attempts, audited). See duixian/ops/leases.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskLease(models.Model):
    task_id = models.UUIDField(_("任务"), unique=True)
    worker_id = models.CharField(_("执行进程"), max_length=64)
    acquired_at = models.DateTimeField(_("开始时间"))
    expires_at = models.DateTimeField(_("租约到期"), db_index=True)

    class Meta:
        verbose_name = _("任务租约")
        verbose_name_plural = _("任务租约")


class TaskProgress(models.Model):
    """How far a background task has got, for the page that watches it (HTMX polling)."""

    task_id = models.UUIDField(_("任务"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("发起人"))
    title = models.CharField(_("任务名称"), max_length=200, blank=True)
    done = models.PositiveBigIntegerField(_("已完成"), default=0)
    total = models.PositiveBigIntegerField(_("总数"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("任务进度")
        verbose_name_plural = _("任务进度")

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return max(0, min(100, int(self.done * 100 // self.total)))
