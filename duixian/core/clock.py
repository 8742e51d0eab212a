"""The one clock every deadline check asks for "now".

Outside demo mode this is the real time (which tests freeze with time-machine). In demo mode
the province can set a demo time; it then runs on from that point in real time, so
countdowns keep moving.
"""

from __future__ import annotations

import contextvars
import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEMO_START = datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI)


class DemoClockDisabled(Exception):
    """Raised when someone tries to move the clock outside demo mode."""


def demo_enabled() -> bool:
    return bool(getattr(settings, "DEMO_MODE", False))


# Inside a request the demo clock's row is read once (a page asks for "now" several times: the
# window, the verdict's submitted_at, the banner); the time itself still runs on in real time.
_request_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("duixian_clock_memo", default=None)


@functools.cache
def _demo_row_query():
    """Every page of a demo reads the row: its query compiled once per process (duixian.core.compiled)."""
    from duixian.core.compiled import CompiledQuery
    from duixian.core.models import DemoClock

    return CompiledQuery(DemoClock, lambda: DemoClock.objects.order_by("pk"), ())


def _demo_setting() -> tuple[datetime, datetime] | None:
    """(demo_time, set_at) of the demo clock, or None when it was never set."""
    memo = _request_memo.get()
    if memo is not None and "row" in memo:
        return memo["row"]
    from django.db import DatabaseError, connection

    try:
        clock = _demo_row_query().first()
    except DatabaseError:
        # Before the first `migrate` there is no clock table, yet Django's system checks (run by
        # `migrate` itself) build a User whose date_joined asks for "now": the real time then.
        # Inside a transaction the failure would poison it, so there it is not swallowed.
        if connection.in_atomic_block:
            raise
        return None
    row = None if clock is None else (clock.demo_time, clock.set_at)
    if memo is not None:
        memo["row"] = row
    return row


def now() -> datetime:
    real = timezone.now()
    if not demo_enabled():
        return real
    row = _demo_setting()
    if row is None:
        return real
    demo_time, set_at = row
    return demo_time + (real - set_at)


def local_now() -> datetime:
    return now().astimezone(SHANGHAI)


def set_demo_time(moment: datetime, *, user=None) -> None:
    """Move the demo clock; refused unless the platform runs in demo mode."""
    if not demo_enabled():
        raise DemoClockDisabled("演示时钟仅在演示模式下可用。")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=SHANGHAI)
    from duixian.core.models import DemoClock

    DemoClock.objects.update_or_create(
        pk=1, defaults={"demo_time": moment, "set_at": timezone.now(), "set_by": user}
    )
    memo = _request_memo.get()
    if memo is not None:
        memo.pop("row", None)  # this request sees the new setting at once


def _request_begins(**kwargs) -> None:
    _request_memo.set({})


def _request_ends(**kwargs) -> None:
    _request_memo.set(None)


def connect_signals() -> None:
    """From CoreConfig.ready(): the demo clock's row is read at most once per request."""
    from django.core.signals import request_finished, request_started

    request_started.connect(_request_begins, dispatch_uid="duixian.core.clock.begin")
    request_finished.connect(_request_ends, dispatch_uid="duixian.core.clock.end")
