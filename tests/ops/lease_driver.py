"""Drives a database for the kill-a-worker test from outside pytest's own test database.

    python tests/ops/lease_driver.py setup MARKER_DIR   -> migrates, enqueues, prints the task id
    python tests/ops/lease_driver.py wait TASK_ID SECS   -> waits for the task to finish, prints JSON
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402


def main(argv):
    from django_tasks_db.models import DBTaskResult

    from duixian.audit.models import AuditEvent
    from duixian.audit.services import audit_verify
    from duixian.ops.models import TaskLease, TaskProgress
    from duixian.ops.progress import task_progress_start

    if argv[0] == "setup":
        call_command("migrate", verbosity=0, interactive=False)
        from tests.ops.tasks import stubborn

        result = stubborn.enqueue(argv[1])
        task_progress_start(result.id, title="测试任务")
        print(result.id)
        return 0
    if argv[0] == "wait":
        task_id, deadline = argv[1], time.monotonic() + float(argv[2])
        while time.monotonic() < deadline:
            row = DBTaskResult.objects.get(id=task_id)
            if row.status in ("SUCCESSFUL", "FAILED"):
                break
            time.sleep(0.3)
        # The worker records the result, then drops its lease: give it a moment to do the second.
        settle = time.monotonic() + 10
        while TaskLease.objects.filter(task_id=task_id).exists() and time.monotonic() < settle:
            time.sleep(0.1)
        row = DBTaskResult.objects.get(id=task_id)
        progress = TaskProgress.objects.get(task_id=task_id)
        print(json.dumps({
            "status": row.status, "worker_ids": row.worker_ids, "return_value": row.return_value,
            "leases": TaskLease.objects.count(),
            "progress": [progress.done, progress.total, progress.message],
            "audit": list(AuditEvent.objects.filter(action__startswith="task.").values_list("action", "detail")),
            "audit_ok": audit_verify() == [],
        }, ensure_ascii=False))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
