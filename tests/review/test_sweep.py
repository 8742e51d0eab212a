"""The deadline sweep: what is left open at the city deadline becomes 逾期, once, and people see it."""

import pytest
from django.core.management import call_command

from duixian.applications.models import Application, Notification, StateChange
from duixian.applications.workflow import application_transition
from duixian.audit.models import AuditEvent
from duixian.review.services import deadline_sweep

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(users, time_machine):
    """合肥: one submitted, one returned, one recommended; 芜湖: one submitted."""
    a = make_submitted(users["hefei_applicant"], "待审核的申报", time_machine=time_machine)
    b = make_submitted(users["hefei_applicant"], "退回未补正的申报")
    c = make_submitted(users["hefei_applicant"], "已推荐的申报")
    d = make_submitted(users["wuhu_applicant"], "芜湖待审核的申报")
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(b, "return", users["hefei_clerk"], item_reasons={"purchase": "补充合同"})
    application_transition(c, "recommend", users["hefei_clerk"])
    return a, b, c, d


def states(*apps):
    return [Application.objects.get(pk=a.pk).state for a in apps]


def test_before_the_deadline_the_sweep_does_nothing(three, time_machine):
    time_machine.move_to(at("2026-05-07 16:59:59"), tick=False)
    result = deadline_sweep()
    assert not result.ran and "未到" in result.message
    assert states(*three) == ["submitted", "returned", "recommended", "submitted"]


def test_at_the_deadline_open_applications_expire_once(three, users, time_machine):
    a, b, c, d = three
    time_machine.move_to(at("2026-05-07 17:00:00"), tick=False)
    result = deadline_sweep()
    assert result.ran and sorted(result.expired) == sorted([a.reference, b.reference, d.reference])
    assert result.by_city == {"340100": 2, "340200": 1}
    assert states(*three) == ["expired", "expired", "recommended", "expired"]
    changes = StateChange.objects.filter(action="expire")
    assert changes.count() == 3 and all(ch.actor is None for ch in changes)
    assert all("六、（四）" in ch.reason for ch in changes)
    # The applicants are told; the province gets one summary.
    assert Notification.objects.filter(event="application.expire", organisation=a.organisation).count() == 2
    province = Notification.objects.get(event="review.deadline_sweep", user=users["province"])
    assert "3 件" in province.title and "合肥市 2 件" in province.body
    # Running again changes nothing and tells no one again.
    again = deadline_sweep()
    assert again.ran and again.expired == [] and "没有需要标记逾期" in again.message
    assert StateChange.objects.filter(action="expire").count() == 3
    assert Notification.objects.filter(event="review.deadline_sweep").count() == 1
    assert AuditEvent.objects.filter(action="review.deadline_sweep").count() == 2


def test_the_applicant_and_the_province_see_it(client, three, users, time_machine):
    a = three[0]
    time_machine.move_to(at("2026-05-07 17:00:05"), tick=False)
    deadline_sweep()
    signin(client, users["hefei_applicant"])
    assert "逾期未审核或未补正" in client.get(f"/applications/{a.pk}/status/").content.decode()
    signin(client, users["province"])
    page = client.get("/review/expired/").content.decode()
    assert a.reference in page and "芜湖待审核的申报" in page and "已推荐的申报" not in page
    signin(client, users["hefei_clerk"])
    page = client.get("/review/expired/").content.decode()
    assert a.reference in page and "芜湖待审核的申报" not in page
    page = client.get("/review/?state=expired").content.decode()
    assert a.reference in page


def test_command(three, time_machine, capsys):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    call_command("review", "sweep")
    assert "未到" in capsys.readouterr().out
    time_machine.move_to(at("2026-05-07 17:30:00"), tick=False)
    call_command("review", "sweep")
    out = capsys.readouterr().out
    assert "已将 3 件申报标记为逾期" in out and three[0].reference in out


def test_task_runs_the_sweep_and_can_be_scheduled_for_the_deadline(three, time_machine):
    from django_tasks_db.models import DBTaskResult

    from duixian.review.tasks import deadline_sweep_task, schedule_deadline_sweep

    time_machine.move_to(at("2026-05-01 09:00:00"), tick=False)
    queued = schedule_deadline_sweep()
    row = DBTaskResult.objects.get(id=queued.id)
    assert row.run_after.isoformat().startswith("2026-05-07T09:00:05")  # 17:00:05 Beijing time, in UTC
    time_machine.move_to(at("2026-05-07 17:00:05"), tick=False)
    outcome = deadline_sweep_task.call()
    assert outcome["ran"] and len(outcome["expired"]) == 3


def test_command_schedules_the_sweep(db, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("review", "sweep", "--schedule")
    assert "已排入后台任务" in capsys.readouterr().out
    assert DBTaskResult.objects.count() == 1
