"""/healthz and the task progress page other engineers link to."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duixian.ops.progress import task_progress, task_progress_start

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_login_or_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


def test_progress_page_shows_percent_and_message_to_its_owner_only(client, login, users):
    task_id = uuid.uuid4()
    task_progress_start(task_id, user=users["hefei_applicant"], title="导入计量数据")
    task_progress(task_id, 250, 1000, "已导入 250 条")
    url = f"/ops/tasks/{task_id}/progress/"

    login(client, users["hefei_applicant"])
    page = client.get(url).content.decode()
    assert "导入计量数据" in page and "已导入 250 条" in page and "25%" in page
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'hx-trigger="every 2s"' in partial

    login(client, users["wuhu_applicant"])
    assert client.get(url).status_code == 404
    login(client, users["province"])
    assert client.get(url).status_code == 200
    assert client.get(f"/ops/tasks/{uuid.uuid4()}/progress/").status_code == 404


def test_finished_task_stops_polling(client, login, users):
    task_id = uuid.uuid4()  # no queue row any more (pruned): counts as finished
    task_progress(task_id, 3, 3, "完成")
    from duixian.ops.models import TaskProgress

    TaskProgress.objects.filter(task_id=task_id).update(user=users["province"])
    login(client, users["province"])
    partial = client.get(f"/ops/tasks/{task_id}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "已完成" in partial
