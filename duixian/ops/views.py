"""/healthz for load balancers and the surge benchmark, and a task's progress (HTMX polling)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

from duixian.ops.models import TaskLease, TaskProgress
from duixian.ops.permissions import can_view_task_progress


@login_not_required
@never_cache
def healthz(request):
    """Answers "ok" without touching the database: the process is up and serving."""
    return HttpResponse("ok", content_type="text/plain")


STATUS_LABELS = {
    "READY": "排队中",
    "RUNNING": "执行中",
    "SUCCESSFUL": "已完成",
    "FAILED": "失败",
}


def task_progress_view(request, task_id):
    progress = TaskProgress.objects.filter(task_id=task_id).first()
    if progress is None or not can_view_task_progress(request.user, progress)[0]:
        raise Http404
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
