"""The demo's history lies before the demo clock: a page showed 2026年4月28日 推荐 while the demo
clock stood at 2026年4月20日 10:00 (the recommendation was dated in the demo's future)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from duixian.applications.models import StateChange
from duixian.core import clock

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_every_demo_state_change_happened_before_the_demo_clock(capsys):
    call_command("demo")
    changes = list(StateChange.objects.values_list("action", "at"))
    assert any(action == "recommend" for action, _at in changes)
    later = [(action, at.astimezone(clock.SHANGHAI)) for action, at in changes if at > clock.DEMO_START]
    assert later == []
