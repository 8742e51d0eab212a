"""Who may watch a background task's progress and the queues. Answers (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.accounts.roles import Role

Decision = tuple[bool, str]


def can_view_task_progress(user, progress) -> Decision:
    if not getattr(user, "is_authenticated", False):
        return False, _("请先登录。")
    if progress.user_id is not None and progress.user_id == user.pk:
        return True, ""
    if user.role in (Role.PROVINCE, Role.SYSTEM_ADMIN):
        return True, ""
    return False, _("您无权查看该任务。")


def can_view_queues(user) -> Decision:
    """The province (who answers applicants in the last hour) and the system administrator (who
    runs the workers) watch the queues; they show counts and times, no application contents."""
    if getattr(user, "is_authenticated", False) and user.role in (Role.PROVINCE, Role.SYSTEM_ADMIN):
        return True, ""
    return False, _("您无权查看后台队列。")
