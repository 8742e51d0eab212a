"""An application is asked its own batch's questions: a made-up 2027 draft started while the
2026 batch is the default gets the 2027 notice's form (its new 场景累计服务用户数), on the task
list, the section page and in what is still missing before submission."""

import pytest

from duixian.applications.models import Application
from duixian.applications.selectors import incomplete_items
from tests.policy.test_batches import load_second

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_second_batchs_draft_is_asked_that_notices_questions(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)  # the 2026 batch is the default
    load_second(client, login, users["province"])
    login(client, users["hefei_applicant"])
    client.post("/applications/new/", {"batch": "made-up-2027", "choice": "2", "project_name": "社区养老服务大模型应用"})
    app = Application.objects.get(project_name="社区养老服务大模型应用", batch_id="made-up-2027")

    tasks = client.get(f"/applications/{app.pk}/tasks/").content.decode()
    assert f"/applications/{app.pk}/section/scene/" in tasks and "场景情况" in tasks
    section = client.get(f"/applications/{app.pk}/section/scene/")
    assert section.status_code == 200 and "场景累计服务用户数（人）" in section.content.decode()
    assert any("场景累计服务用户数（人）" in item for item in incomplete_items(app))
