"""Leases on running background tasks, so a task whose worker died is run again, not lost.

django-tasks-db marks a task RUNNING when a worker claims it and nothing ever looks at it again
if that worker is killed (OOM, SIGKILL, a machine lost). `duixian worker` therefore
- takes a lease (a TaskLease row) when it starts a task and renews it from a heartbeat thread
  every TASK_HEARTBEAT_SECONDS, and drops it when the task ends;
- runs `leases_reap` from its housekeeping thread (duixian.ops.housekeeping), which finds RUNNING tasks whose lease ran out (or that never got one
  within a lease period of being claimed) and puts them back in the queue, or marks them
  failed after TASK_MAX_ATTEMPTS claims. Each decision is audited (task.requeued /
  task.abandoned).
A task may therefore run more than once (at-least-once): tasks must be idempotent.
Leases use the real clock (timezone.now), never the demo clock.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from duixian.ops.models import TaskLease

logger = logging.getLogger("duixian.ops.leases")

RUNNING = "RUNNING"


def lease_seconds() -> float:
    return float(getattr(settings, "TASK_LEASE_SECONDS", 60))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASK_HEARTBEAT_SECONDS", max(lease_seconds() / 4, 0.2)))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 3))


class WorkerLost(Exception):
    """Recorded as the failure of a task whose workers kept dying."""


def lease_acquire(task_id, worker_id: str, *, seconds: float | None = None) -> TaskLease:
    now = timezone.now()
    lease, _ = TaskLease.objects.update_or_create(
        task_id=task_id,
        defaults={"worker_id": worker_id, "acquired_at": now,
                  "expires_at": now + timedelta(seconds=seconds or lease_seconds())},
    )
    return lease


def lease_renew(task_id, worker_id: str, *, seconds: float | None = None) -> bool:
    expires = timezone.now() + timedelta(seconds=seconds or lease_seconds())
    return bool(TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).update(expires_at=expires))


def lease_release(task_id, worker_id: str) -> None:
    TaskLease.objects.filter(task_id=task_id, worker_id=worker_id).delete()


class Heartbeat(threading.Thread):
    """Renews one task's lease until stopped; uses its own database connection."""

    def __init__(self, task_id, worker_id: str, *, every: float, seconds: float):
        super().__init__(name=f"lease-heartbeat-{task_id}", daemon=True)
        self.task_id, self.worker_id, self.every, self.seconds = task_id, worker_id, every, seconds
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=self.every + 5)

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.every):
                try:
                    lease_renew(self.task_id, self.worker_id, seconds=self.seconds)
                except Exception:  # a database hiccup: try again next beat
                    logger.exception("Could not renew the lease of task %s", self.task_id)
                    close_old_connections()
        finally:
            connection.close()


def leases_reap(*, now=None, seconds: float | None = None, attempts: int | None = None) -> list[tuple[str, str]]:
    """Re-queue (or give up on) RUNNING tasks nobody holds a live lease on. Returns (task_id, action)."""
    from duixian.audit.services import audit_record

    now = now or timezone.now()
    seconds = seconds or lease_seconds()
    attempts = attempts or max_attempts()
    expired = set(TaskLease.objects.filter(expires_at__lt=now).values_list("task_id", flat=True))
    leased = TaskLease.objects.values("task_id")
    never_leased = set(
        DBTaskResult.objects.filter(status=RUNNING, started_at__lt=now - timedelta(seconds=seconds))
        .exclude(id__in=leased).values_list("id", flat=True)
    )
    actions: list[tuple[str, str]] = []
    for task_id in sorted(expired | never_leased, key=str):
        with transaction.atomic():
            task = DBTaskResult.objects.select_for_update(skip_locked=True).filter(id=task_id).first()
            lease = TaskLease.objects.select_for_update(skip_locked=True).filter(task_id=task_id).first()
            if lease is not None and lease.expires_at >= now:
                continue  # renewed meanwhile
            if task is None or task.status != RUNNING:
                if lease is not None:
                    lease.delete()
                continue
            tries = len(task.worker_ids)
            lost_worker = lease.worker_id if lease else (task.worker_ids[-1] if task.worker_ids else "")
            detail = {"task_id": str(task.id), "task": task.task_path, "worker_id": lost_worker,
                      "attempts": tries, "max_attempts": attempts}
            if tries < attempts:
                task.status = "READY"
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                action = "task.requeued"
            else:
                task.status = "FAILED"
                task.finished_at = now
                task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                task.traceback = f"执行进程失联：已尝试 {tries} 次（上限 {attempts} 次），不再重试。"
                task.return_value = None
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"])
                action = "task.abandoned"
            if lease is not None:
                lease.delete()
            audit_record(action, username="system", object_type="django_tasks_database.dbtaskresult",
                         object_id=str(task.id), outcome="success" if action == "task.requeued" else "failure",
                         detail=detail)
            logger.warning("%s %s after worker %s was lost (attempt %s of %s)", action, task.id, lost_worker, tries, attempts)
            actions.append((str(task.id), action))
    return actions
