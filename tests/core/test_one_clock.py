"""Issue 15 item 4: every timestamp the platform writes or shows comes from the one clock.

In the demo the province sets the clock to 2026-04-20 10:00 while the real date is 12-07; a
draft, an upload, a registration, a notification and an audit event made then all say 4月20日,
like the submission and the review beside them.
"""

from datetime import datetime

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.urls import reverse

import duixian
from duixian.core import clock
from duixian.core.fields import PlatformDateTimeField

pytestmark = pytest.mark.django_db

DEMO = datetime(2026, 4, 20, 10, 0, tzinfo=clock.SHANGHAI)
REAL = "2026-12-07T08:17:00+08:00"


def _day(value: datetime) -> tuple:
    local = value.astimezone(clock.SHANGHAI)
    return local.year, local.month, local.day


@override_settings(DEMO_MODE=True)
def test_everything_made_on_the_demo_day_says_the_demo_day(users, time_machine, client):
    from duixian.applications import policy_bridge
    from duixian.applications.materials import material_store
    from duixian.applications.notifications import notify
    from duixian.applications.services import application_create
    from duixian.audit.models import AuditEvent
    from duixian.audit.services import audit_record
    from duixian.orgs import services as org_services
    from tests.applications.conftest import PDF, upload
    from tests.orgs.test_registration import registration

    time_machine.move_to(REAL, tick=False)
    clock.set_demo_time(DEMO)
    applicant = users["hefei_applicant"]

    app = application_create(user=applicant, clause="2", project_name="演示时钟项目")
    slot = policy_bridge.material_slots(app.clause, app.application_type)[0].id
    material = material_store(app, slot, upload("a.pdf", PDF), user=applicant)
    note = notify(applicant, "test.clock", title="演示")
    audit_record("test.clock", user=applicant, object_type="test", object_id=1)
    event = AuditEvent.objects.filter(action="test.clock").get()
    org, manager = org_services.organisation_register(registration(username="clock_jbr"))
    app.refresh_from_db()
    membership = manager.membership

    moments = {"application.created_at": app.created_at, "application.updated_at": app.updated_at,
               "material.uploaded_at": material.uploaded_at, "notification.created_at": note.created_at,
               "audit.at": event.at, "organisation.created_at": org.created_at,
               "membership.joined_at": membership.joined_at}
    assert {name: _day(value) for name, value in moments.items()} == {name: (2026, 4, 20) for name in moments}

    # and the applicant's status page reads 4月20日 for the draft, not the real 12月7日
    client.force_login(applicant)
    page = client.get(reverse("applications:status", args=[app.pk])).content.decode()
    assert "2026年4月20日 10:00" in page
    assert "2026年12月7日" not in page


def test_every_auto_timestamp_field_asks_the_platform_clock():
    """A new `auto_now`/`auto_now_add` DateTimeField would quietly read the real clock again."""
    real_clock_allowed = {
        # A worker's progress beat (like its lease): how fresh the worker's report is, in real time.
        "ops.TaskProgress.updated_at",
    }
    offenders = []
    for model in apps.get_models():
        if not model.__module__.startswith("duixian."):
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.label}.{field.name}"
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                if not isinstance(field, PlatformDateTimeField) and name not in real_clock_allowed:
                    offenders.append(name)
            default = getattr(field, "default", None)
            if getattr(default, "__module__", "") == "django.utils.timezone" and name not in real_clock_allowed:
                offenders.append(f"{name} (default={default.__name__})")
    assert offenders == []


# Where product code may read the real clock, and why (docs/decisions/one-clock.md):
# file -> how many real-clock reads it holds. Anything else asks duixian.core.clock.
REAL_CLOCK_ALLOWED = {
    "core/clock.py": 2,  # the clock itself: real time + the demo offset, and when the demo time was set
    "ops/leases.py": 3,  # task leases and heartbeats: a dead worker is dead in real time
    "ops/queue.py": 1,  # django-tasks' own enqueued/finished times are real
    "ops/progress.py": 1,  # a worker's progress beat
    "ops/backup.py": 3,  # backup file names and archive times: operators sort them in real time
    "accounts/sessions.py": 2,  # Django session expiry (the session read, end_sessions)
    "accounts/middleware.py": 1,  # idle session timeout
    "accounts/management_totp.py": 1,  # TOTP codes follow the authenticator app's real time
    "accounts/identity.py": 2,  # a verified unified identity waits 15 real minutes for registration or binding
    "core/ratelimit.py": 3,  # rate-limit windows
    "accounts/lockouts.py": 1,  # axes' lockout cool-off (django-axes counts in real time)
}
REAL_CLOCK_CALLS = {("timezone", "now"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
                    ("date", "today"), ("time", "time"), ("timezone", "localdate"), ("timezone", "localtime")}
# These read the clock only when called without a moment; with one they convert it.
CONVERTERS_WITH_ARGUMENT = {("timezone", "localdate"), ("timezone", "localtime")}


def _real_clock_reads(path: Path) -> int:
    count = 0
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            call = (node.func.value.id, node.func.attr)
            if call in REAL_CLOCK_CALLS and not (call in CONVERTERS_WITH_ARGUMENT and (node.args or node.keywords)):
                count += 1
        # `default=timezone.now` and the like hand the real clock over without calling it
        if isinstance(node, ast.keyword) and isinstance(node.value, ast.Attribute) and isinstance(node.value.value, ast.Name):
            if (node.value.value.id, node.value.attr) in REAL_CLOCK_CALLS:
                count += 1
    return count


def test_product_code_reads_the_real_clock_only_where_allowed():
    root = Path(duixian.__file__).parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        n = _real_clock_reads(path)
        if n:
            found[path.relative_to(root).as_posix()] = n
    beyond = {name: n for name, n in found.items() if n > REAL_CLOCK_ALLOWED.get(name, 0)}
    assert beyond == {}, "read the time from duixian.core.clock (or justify the real clock in the allowlist)"


@override_settings(DEMO_MODE=True)
def test_the_demo_data_carries_demo_dates_not_the_real_date(time_machine, capsys):
    from django.core.management import call_command

    from duixian.applications.models import Application, Notification
    from duixian.audit.models import AuditEvent
    from duixian.orgs.models import Organisation

    time_machine.move_to(REAL, tick=False)
    call_command("demo")
    stamps = [*Organisation.objects.values_list("created_at", flat=True),
              *Application.objects.values_list("created_at", flat=True),
              *Notification.objects.values_list("created_at", flat=True),
              *AuditEvent.objects.values_list("at", flat=True)]
    assert stamps and all(_day(moment)[:2] < (2026, 12) for moment in stamps)
