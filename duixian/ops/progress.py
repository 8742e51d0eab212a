"""Progress of background tasks, for pages that watch them.

For the engineers writing tasks (metering import, subsidy runs, exports):

    from django_tasks import task
    from duixian.ops.progress import task_progress, task_progress_start

    # in the view that starts the work
    result = my_task.enqueue(...)
    task_progress_start(result.id, user=request.user, title="导入计量数据")
    # then render {% include "ops/_task_progress.html" with progress=... %} or link to
    # reverse("ops:task_progress", args=[result.id]): it polls itself every 2 s with HTMX.

    @task(takes_context=True)
    def my_task(context, ...):
        for i, chunk in enumerate(chunks):
            ...
            task_progress(context.task_result.id, i + 1, len(chunks), f"已处理 {i + 1} 批")

`task_progress` is cheap (one UPDATE) but call it at most every second or so for big loops.
The page shows the task's own status (queued, running, done, failed, retried after a lost
worker) beside the percent and message. Only the user who started the task, the province and
the system administrator see it; anybody else gets 404.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from duixian.ops.models import TaskProgress


def task_progress_start(task_id, *, user=None, title: str = "", total: int | None = None) -> TaskProgress:
    progress, _ = TaskProgress.objects.update_or_create(
        task_id=task_id, defaults={"user": user, "title": title[:200], "total": total, "done": 0, "message": ""},
    )
    return progress


def task_progress(task_id, done: int, total: int | None = None, message: str = "") -> None:
    """Record that `done` of `total` steps of task `task_id` are finished (total may be unknown)."""
    with transaction.atomic():
        updated = TaskProgress.objects.filter(task_id=task_id).update(
            done=max(0, int(done)), total=None if total is None else max(0, int(total)), message=message[:500],
            updated_at=timezone.now(),  # real clock: a worker's progress beat, like its lease heartbeat
        )
        if not updated:
            TaskProgress.objects.update_or_create(
                task_id=task_id,
                defaults={"done": max(0, int(done)), "total": total, "message": message[:500]},
            )
