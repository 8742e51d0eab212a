"""Who may watch a background task's progress and the queues: rules of the authorization
registry (duixian.authz). Each answers a Decision (allowed, reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from duixian.authz import ALL, OWN, Decision, allow, deny, rule
from duixian.authz.roles import Role

WATCHERS = {Role.PROVINCE: ALL, Role.SYSTEM_ADMIN: ALL}


@rule("ops.task_progress", roles={**{role: OWN for role in Role.values}, **WATCHERS})
def can_view_task_progress(user, progress) -> Decision:
    """Whoever started the task; the province and the system administrator watch every task
    (titles and counts, no application contents)."""
    if not getattr(user, "is_authenticated", False):
        return deny(_("请先登录。"))
    if progress.user_id is not None and progress.user_id == user.pk:
        return allow()
    if user.role in WATCHERS:
        return allow()
    return deny(_("您无权查看该任务。"))


@rule("ops.queues", roles=WATCHERS)
def can_view_queues(user) -> Decision:
    """The province (who answers applicants in the last hour) and the system administrator (who
    runs the workers) watch the queues; they show counts and times, no application contents."""
    if getattr(user, "is_authenticated", False) and user.role in WATCHERS:
        return allow()
    return deny(_("您无权查看后台队列。"))
