"""Background work for the city review: the deadline sweep as a django-tasks task.

`schedule_deadline_sweep()` queues it to run at the city deadline (the database worker,
`duixian db_worker`, picks it up then); running it early does nothing, running it twice
changes nothing.
"""

from __future__ import annotations

from django_tasks import task


@task()
def deadline_sweep_task() -> dict:
    from duixian.review.services import deadline_sweep

    result = deadline_sweep()
    return {"ran": result.ran, "message": result.message, "expired": result.expired, "by_city": result.by_city}


def schedule_deadline_sweep(pack=None):
    """Queue the sweep for the moment of a batch's city deadline (the default batch's without
    one; a little after, to be safe)."""
    from datetime import timedelta

    from duixian.applications import policy_bridge

    deadline = (pack or policy_bridge.get_pack()).city_review_deadline
    return deadline_sweep_task.using(run_after=deadline + timedelta(seconds=5)).enqueue()
