"""Reminders before the application window closes: 3 days, 1 day and 2 hours before.

Each organisation with a draft that was never submitted is told, for that draft, the exact last
accepted second, taken from the pack (docs/decisions/0001): "最后受理时刻：2026年5月5日 23:58:59
（北京时间）；23:59 起不再受理。" Each reminder is sent once per draft: the in-app notification
(event `deadline_reminder_3d|1d|2h`, naming the application) is the record that it went out, and
it is written under the draft's row lock, so two workers running at once send it once.

Only the reminder of the period the platform clock is in is sent: a draft started 30 hours
before the close gets the 1-day and the 2-hour reminders, never a late 3-day one. Nothing is
sent before the window opens or from its close on.

`reminders_send_due()` runs in every worker's housekeeping (duixian.ops.housekeeping) and right
after the province moves the demo clock; before the first reminder moment it reads only the
clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState, Notification
from duixian.applications.notifications import notify_organisations, register_wording, worded
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.phases import deadline_statement

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    before: timedelta
    words: str  # how long is left, in the message

    @property
    def event(self) -> str:
        return f"deadline_reminder_{self.key}"


# Latest first: the period the clock is in is the first whose moment has come.
REMINDERS = (
    Reminder("2h", timedelta(hours=2), gettext_noop("2小时")),
    Reminder("1d", timedelta(days=1), gettext_noop("1天")),
    Reminder("3d", timedelta(days=3), gettext_noop("3天")),
)


def _statement_shown(note, written: str) -> str:
    """The stored deadline statement, said again in the reader's language when it is the pack's."""
    if note.application is None:
        return written
    close = policy_bridge.application_pack(note.application).application_close
    with translation.override("zh-hans"):
        if deadline_statement(close) != written:
            return written
    return deadline_statement(close)


WORDING = (gettext_noop("申报即将截止（不足{left}）：{name}"),
           gettext_noop("您单位的申报“{name}”尚未提交。{statement}请在此之前完成填写并提交；草稿不会被受理。"))
for _reminder in REMINDERS:
    register_wording(_reminder.event, *WORDING,
                     refresh={"left": lambda note, written: gettext(written), "statement": _statement_shown})


def reminder_moment(reminder: Reminder, pack=None) -> datetime:
    pack = pack or policy_bridge.get_pack()
    return pack.application_close - reminder.before


def reminder_due(moment: datetime, pack=None) -> Reminder | None:
    """The reminder whose period `moment` is in, or None (too early, or the window is closed)."""
    pack = pack or policy_bridge.get_pack()
    if moment < pack.application_open or moment >= pack.application_close:
        return None
    for reminder in REMINDERS:
        if moment >= pack.application_close - reminder.before:
            return reminder
    return None


def reminder_text(reminder: Reminder, app: Application, pack=None) -> tuple[str, str]:
    pack = pack or policy_bridge.get_pack()
    with translation.override("zh-hans"):  # stored once for every reader, and mailed
        return worded(WORDING, left=reminder.words, name=app.project_name,
                      statement=deadline_statement(pack.application_close))


def _unreminded_drafts(reminder: Reminder, batch_id: str):
    sent = Notification.objects.filter(event=reminder.event, application__isnull=False).values("application_id")
    return (Application.objects.filter(state=ApplicationState.DRAFT, first_submitted_at__isnull=True, batch_id=batch_id)
            .exclude(pk__in=sent).order_by("pk"))


def reminders_send_due(*, moment: datetime | None = None) -> int:
    """Send the reminder now due to every draft that has not had it, each batch by its own close;
    how many were sent."""
    from duixian.policy.active import batches

    moment = moment or clock.now()
    return sum(_send_due(pack, moment) for pack in batches())


def reminders_after_clock_move() -> None:
    """The reminders as a clock sweep (duixian.core.clock_sweeps): sent at once, nothing to say."""
    reminders_send_due()


# Drafts told in one transaction: their rows locked together, the notifications in one INSERT.
CHUNK = 500


def _send_due(pack, moment: datetime) -> int:
    reminder = reminder_due(moment, pack)
    if reminder is None:
        return 0
    pks = list(_unreminded_drafts(reminder, pack.batch_id).values_list("pk", flat=True))
    sent = sum(_send_chunk(reminder, pack, pks[start:start + CHUNK]) for start in range(0, len(pks), CHUNK))
    if sent:
        log.info("deadline reminder %s sent for %d drafts", reminder.key, sent)
    return sent


def _send_chunk(reminder: Reminder, pack, pks: list[int]) -> int:
    """Tell the drafts `pks` that are still drafts and were not told meanwhile; how many were told.
    Their rows are locked until the notifications and their audit row commit. A draft another
    transaction holds is left for the next round (SKIP LOCKED): a second worker's chunk, or the
    worker checking presses, which locks its drafts in the order they were pressed; waiting for it
    while holding the rest of the chunk deadlocked the two (PostgreSQL then failed one: the chunk,
    or a press left pending for RETRY_SECONDS)."""
    with transaction.atomic():
        drafts = list(Application.objects.select_for_update(of=("self",), skip_locked=True)
                      .select_related("organisation").filter(pk__in=pks, state=ApplicationState.DRAFT).order_by("pk"))
        told = set(Notification.objects.filter(event=reminder.event, application_id__in=[a.pk for a in drafts])
                   .values_list("application_id", flat=True))
        due = [app for app in drafts if app.pk not in told]
        notify_organisations(reminder.event, [
            (app.organisation, *reminder_text(reminder, app, pack), reverse("applications:tasks", args=[app.pk]), app)
            for app in due])
        if due:
            audit_record("application.deadline_reminder", username="system", object_type="applications.reminder",
                         object_id=reminder.key, detail={"reminder": reminder.key, "sent": len(due),
                                                         "batch_id": pack.batch_id,
                                                         "close": pack.application_close.isoformat()})
    return len(due)
