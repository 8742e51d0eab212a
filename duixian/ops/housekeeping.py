"""What every worker process does every few seconds beside its tasks.

- `leases_reap`: put back in the queue the tasks whose worker died (duixian.ops.leases);
- `audit_seal`: chain the audit rows that a busy moment left unsealed (a request seals only
  when no other sealer is at work, so in a surge a row can miss the sealer that was running);
- `grants_expire`: revoke role grants whose time is up (they already count as no role);
- `sweep_if_due`: once the platform clock (the demo clock in demo mode) reaches the city
  review deadline, mark what is still submitted or returned as 逾期 (duixian.review.services);
- `reminders_send_due`: 3 days, 1 day and 2 hours before the application window closes, tell
  each organisation with an unsubmitted draft the last accepted second, once per draft
  (duixian.applications.reminders);
- `batch_openings_send_due`: once the platform clock is inside a batch's application window,
  tell each organisation registered before it opened, once, with its matches in that batch
  (duixian.matching.push);

and, on its own thread every --interval seconds so that a press is checked within moments,
`receipts_check_pending`: check the submit presses taken while SUBMISSIONS_QUEUED is on
(applications.receipts).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

logger = logging.getLogger("duixian.ops.housekeeping")

JOBS = (
    "duixian.ops.leases.leases_reap",
    "duixian.audit.services.audit_seal",
    "duixian.accounts.services.grants_expire",
    "duixian.review.services.sweep_if_due",
    "duixian.applications.reminders.reminders_send_due",
    "duixian.matching.push.batch_openings_send_due",
)
RECEIPT_JOBS = ("duixian.applications.receipts.receipts_check_pending",)


def housekeeping_once(jobs=JOBS) -> None:
    for path in jobs:
        try:
            import_string(path)()
        except Exception:
            logger.exception("Housekeeping step %s failed; trying again next round", path)
            close_old_connections()


class Housekeeping(threading.Thread):
    """Runs `jobs` every `every` seconds inside a worker process."""

    def __init__(self, *, every: float, jobs=JOBS, name: str = "housekeeping"):
        super().__init__(name=name, daemon=True)
        self.every, self.jobs = every, jobs
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        try:
            while True:
                housekeeping_once(self.jobs)
                if self._stop_event.wait(self.every):
                    return
        finally:
            connection.close()
