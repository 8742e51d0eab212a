"""The queues page and `duixian queue`: an operator learns from the platform, not from an
applicant on the telephone, that the submit checks or the tasks are waiting for a worker."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from duixian.applications.models import ReceiptOutcome, SubmissionReceipt
from duixian.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_press(users, time_machine):
    """A press taken at 23:58:00 on the closing day that no worker has checked yet."""
    from tests.applications.conftest import at

    from duixian.applications.services import application_create

    time_machine.move_to(at("2026-05-05 23:58:00"), tick=False)
    user = users["hefei_applicant"]
    app = application_create(user=user, clause="2", project_name="队列测试项目")
    return SubmissionReceipt.objects.create(application=app, token="queue-1", user=user, received_at=clock.now(),
                                            declaration=True, expected_state=app.state)


def test_the_page_warns_when_a_press_waits_past_the_alert_and_not_a_second_before(
        client, login, users, pending_press, time_machine, settings):
    settings.QUEUE_ALERT_SECONDS = 120
    login(client, users["province"])
    time_machine.move_to(pending_press.received_at + timedelta(seconds=119), tick=False)
    page = client.get("/ops/queues/").content.decode()
    assert "后台队列" in page and "1 分 59 秒" in page and "2026年5月5日 23:58:00" in page
    assert 'id="queue-alert"' not in page
    time_machine.move_to(pending_press.received_at + timedelta(seconds=120), tick=False)
    page = client.get("/ops/queues/").content.decode()
    assert 'id="queue-alert"' in page and "duixian worker" in page and "2 分 0 秒" in page


def test_a_checked_press_leaves_the_queue(client, login, users, pending_press, time_machine):
    pending_press.outcome, pending_press.processed_at = ReceiptOutcome.ACCEPTED, clock.now()
    pending_press.save()
    time_machine.move_to(pending_press.received_at + timedelta(hours=1), tick=False)
    login(client, users["province"])
    page = client.get("/ops/queues/").content.decode()
    assert "后台队列" in page and "提交核验" in page
    assert 'id="queue-alert"' not in page and "23:58:00" not in page


def test_only_the_province_and_the_system_administrator_see_the_queues(client, login, users):
    login(client, users["hefei_applicant"])
    assert client.get("/ops/queues/").status_code == 404
    login(client, users["hefei_clerk"])
    assert client.get("/ops/queues/").status_code == 404
    login(client, users["province"])
    assert client.get("/ops/queues/").status_code == 200
    assert "/ops/queues/" in client.get("/dashboard/").content.decode()


def test_the_command_exits_1_for_a_waiting_task_and_0_once_it_runs(capsys, time_machine, settings):
    settings.QUEUE_ALERT_SECONDS = 60
    task = DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="duixian.x.y")
    time_machine.move_to(task.enqueued_at + timedelta(seconds=61), tick=False)
    with pytest.raises(SystemExit) as stopped:
        call_command("queue")
    assert stopped.value.code == 1
    assert "后台任务：等待 1 件，最早一件已等待 61 秒" in capsys.readouterr().err
    DBTaskResult.objects.filter(pk=task.pk).update(status="RUNNING")
    call_command("queue")
    out = capsys.readouterr().out
    assert "提交核验：等待 0 件" in out and "执行中 1 件" in out
