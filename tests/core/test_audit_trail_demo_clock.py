"""The demo clock's move and its audit row are one write (e687e23 moved core's audit rows behind
core.audit_trail): when the row cannot be written, the clock has not moved either."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from duixian.audit.models import AuditEvent
from duixian.core import audit_trail, clock
from duixian.core.models import DemoClock
from duixian.core.services import demo_clock_move

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.DEMO_MODE = True


def test_moving_the_demo_clock_is_audited(users):
    moment = datetime(2026, 5, 5, 23, 58, tzinfo=clock.SHANGHAI)
    demo_clock_move(moment, user=users["province"])
    assert DemoClock.objects.get().demo_time == moment
    event = AuditEvent.objects.get(action="demo_clock.move")
    assert event.username == "province" and event.detail == {"demo_time": moment.isoformat()}


def test_without_the_audit_writer_the_demo_clock_does_not_move_unrecorded(users, monkeypatch):
    monkeypatch.setattr(audit_trail, "_writer", None)
    with pytest.raises(ImproperlyConfigured, match="demo_clock.move"):
        demo_clock_move(datetime(2026, 5, 5, 23, 58, tzinfo=clock.SHANGHAI), user=users["province"])
    assert not DemoClock.objects.exists()  # the clock stays where it was (never set here)
