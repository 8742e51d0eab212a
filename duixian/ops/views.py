"""/healthz for load balancers and the surge benchmark, a task's progress (HTMX polling), and the
queues of background work."""

from django.contrib.auth.decorators import login_not_required
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from duixian.ops.models import TaskLease, TaskProgress
from duixian.authz import requires
from duixian.ops.queue import queue_status


@login_not_required
@never_cache
@requires("anyone")
def healthz(request):
    """Answers "ok" without touching the database: the process is up and serving."""
    return HttpResponse("ok", content_type="text/plain")


STATUS_LABELS = {
    "READY": gettext_lazy("排队中"),
    "RUNNING": gettext_lazy("执行中"),
    "SUCCESSFUL": gettext_lazy("已完成"),
    "FAILED": gettext_lazy("失败"),
}


def progress_of(task_id, **_url) -> TaskProgress | None:
    return TaskProgress.objects.filter(task_id=task_id).first()


@requires("ops.task_progress", progress_of)
def task_progress_view(request, progress, task_id):
    task = DBTaskResult.objects.filter(id=task_id).only("status", "worker_ids", "finished_at").first()
    if task is not None:
        status = task.status
    else:  # not enqueued yet, or its queue row was pruned: judge by the progress itself
        status = "SUCCESSFUL" if progress.total and progress.done >= progress.total else "READY"
    context = {
        "progress": progress,
        "status": status,
        "status_label": STATUS_LABELS.get(status, status),
        "finished": status in ("SUCCESSFUL", "FAILED"),
        "retried": bool(task and len(task.worker_ids) > 1),
        "leased": TaskLease.objects.filter(task_id=task_id).exists(),
    }
    template = "ops/_task_progress.html" if request.headers.get("HX-Request") else "ops/task_progress.html"
    return render(request, template, context)


QUEUE_LABELS = {"receipts": gettext_lazy("提交核验（申报提交后的完整性核验）"), "tasks": gettext_lazy("后台任务（导入、测算、导出、通知、截止处理）")}


@never_cache
@requires("ops.queues")
def queues_view(request):
    rows = [(QUEUE_LABELS[queue.name], queue, _wait_text(queue.age)) for queue in queue_status()]
    return render(request, "ops/queues.html", {
        "rows": rows, "alert": any(queue.alert for _label, queue, _text in rows),
        "alert_seconds": settings.QUEUE_ALERT_SECONDS,
    })


def _wait_text(age) -> str:
    if age is None:
        return ""
    minutes, seconds = divmod(int(age.total_seconds()), 60)
    return _("%(m)d 分 %(s)d 秒") % {"m": minutes, "s": seconds} if minutes else _("%(s)d 秒") % {"s": seconds}
