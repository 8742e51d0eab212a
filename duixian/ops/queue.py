"""How the background queues stand: the submit presses waiting for their check
(applications.receipts) and the tasks waiting for a worker (django-tasks' database backend).

A queue whose oldest waiting item is older than QUEUE_ALERT_SECONDS means the workers are
stopped or too few; the queue page and `duixian queue --check` say so, so that an operator
learns it from the platform in the last hour, not from an applicant on the telephone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from duixian.applications.models import ReceiptOutcome, SubmissionReceipt
from duixian.core import clock


@dataclass(frozen=True)
class Queue:
    name: str
    waiting: int
    oldest: datetime | None  # when the oldest waiting item arrived
    age: timedelta | None  # how long it has waited
    running: int = 0
    failed_today: int = 0
    checked_recently: int = 0  # finished in the last RECENT

    @property
    def alert(self) -> bool:
        return self.age is not None and self.age >= timedelta(seconds=settings.QUEUE_ALERT_SECONDS)


RECENT = timedelta(minutes=10)


def queue_status() -> list[Queue]:
    """The submit presses' queue, then the tasks' queue."""
    # Receipts carry the platform clock's time (the demo clock in demo mode), tasks the real one.
    now, real_now = clock.now(), timezone.now()
    receipts = SubmissionReceipt.objects.aggregate(
        waiting=Count("pk", filter=Q(outcome=ReceiptOutcome.PENDING)),
        oldest=Min("received_at", filter=Q(outcome=ReceiptOutcome.PENDING)),
        recent=Count("pk", filter=Q(processed_at__gte=now - RECENT)),
    )
    tasks = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        oldest=Min("enqueued_at", filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=real_now - timedelta(days=1))),
        recent=Count("pk", filter=Q(status=TaskResultStatus.SUCCESSFUL, finished_at__gte=real_now - RECENT)),
    )
    return [
        Queue("receipts", receipts["waiting"], receipts["oldest"], _age(now, receipts["oldest"]),
              checked_recently=receipts["recent"]),
        Queue("tasks", tasks["waiting"], tasks["oldest"], _age(real_now, tasks["oldest"]), running=tasks["running"],
              failed_today=tasks["failed"], checked_recently=tasks["recent"]),
    ]


def _age(now: datetime, oldest: datetime | None) -> timedelta | None:
    return None if oldest is None else max(now - oldest, timedelta(0))
