"""`duixian worker`: django-tasks-db's db_worker with task leases, a heartbeat and housekeeping
(requeue tasks of dead workers, seal leftover audit rows), and the check of queued submit
presses every --interval seconds (applications.receipts).

Run as many as you like on as many machines as you like against one PostgreSQL database
(deploy/duixian-worker@.service). Same options as `db_worker`, plus --lease-seconds,
--heartbeat-seconds and --max-attempts (defaults from TASK_LEASE_SECONDS, TASK_HEARTBEAT_SECONDS,
TASK_MAX_ATTEMPTS). --reload is always off: a reloaded worker would abandon its task.
"""

import os
import socket

from django.conf import settings
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from duixian.ops import leases
from duixian.ops.housekeeping import RECEIPT_JOBS, Housekeeping, housekeeping_once


class LeasedWorker(db_worker.Worker):
    def __init__(self, *, lease_seconds: float, heartbeat_seconds: float, **kwargs):
        super().__init__(**kwargs)
        self.lease_seconds, self.heartbeat_seconds = lease_seconds, heartbeat_seconds

    def run_task(self, db_task_result) -> None:
        task_id = db_task_result.id
        leases.lease_acquire(task_id, self.worker_id, seconds=self.lease_seconds)
        beat = leases.Heartbeat(task_id, self.worker_id, every=self.heartbeat_seconds, seconds=self.lease_seconds)
        beat.start()
        try:
            super().run_task(db_task_result)
        finally:
            beat.stop()
            leases.lease_release(task_id, self.worker_id)


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Command(db_worker.Command):
    help = "后台任务执行进程（带租约与心跳：进程失联的任务会被重新排队，次数有上限）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id(), reload=False)
        parser.add_argument("--lease-seconds", type=float, default=None,
                            help="租约时长（秒）；心跳停止超过此时长的任务被视为执行进程失联")
        parser.add_argument("--heartbeat-seconds", type=float, default=None, help="心跳间隔（秒）")
        parser.add_argument("--max-attempts", type=int, default=None, help="一个任务最多被认领执行的次数")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload,
               max_tasks, worker_id, exclude_queues, lease_seconds=None, heartbeat_seconds=None,
               max_attempts=None, **options):
        self.configure_logging(verbosity)
        if lease_seconds:
            settings.TASK_LEASE_SECONDS = lease_seconds
        if heartbeat_seconds:
            settings.TASK_HEARTBEAT_SECONDS = heartbeat_seconds
        if max_attempts:
            settings.TASK_MAX_ATTEMPTS = max_attempts
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
            excluded_queue_names=excluded, lease_seconds=leases.lease_seconds(),
            heartbeat_seconds=leases.heartbeat_seconds(),
        )
        # Every few seconds (never more than half a lease apart): requeue orphaned tasks, seal audit rows.
        housekeeping = Housekeeping(every=max(min(leases.lease_seconds() / 2, 5.0), 0.2))
        receipts = Housekeeping(every=max(interval, 0.1), jobs=RECEIPT_JOBS, name="receipts")  # never a busy loop
        if batch:
            housekeeping_once()  # pick up tasks lost before this run, then run them
            housekeeping_once(RECEIPT_JOBS)
        else:
            housekeeping.start()
            receipts.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            housekeeping.stop()
            receipts.stop()
