"""The one clock every deadline check asks for "now".

Outside demo mode this is the real time (which tests freeze with time-machine). In demo mode
the province can set a demo time; it then runs on from that point in real time, so
countdowns keep moving.
"""

from __future__ import annotations

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


def now() -> datetime:
    real = timezone.now()
    if not demo_enabled():
        return real
    from duixian.core.models import DemoClock

    clock = DemoClock.objects.order_by("pk").first()
    if clock is None:
        return real
    return clock.demo_time + (real - clock.set_at)


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
