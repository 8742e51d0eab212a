"""Background work for applications: checking a submission receipt (receipts.py) when
SUBMISSIONS_QUEUED is on. Running it twice changes nothing."""

from __future__ import annotations

from django_tasks import task


@task()
def receipt_process_task(receipt_id: int) -> str:
    from duixian.applications.receipts import receipt_process

    return receipt_process(receipt_id).outcome
