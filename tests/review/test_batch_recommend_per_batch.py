"""Batch recommend on a second batch's work list: the confirmation, its 取消 and the way back all
stay on that batch's list, not the default batch's."""

import pytest

from duixian.applications.models import Application, ApplicationState as S
from tests.policy.test_batches import load_second

from .conftest import at

pytestmark = pytest.mark.django_db


def test_recommending_on_the_second_batchs_list_returns_to_that_list(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    app = Application.objects.create(
        organisation=users["hefei_applicant"].organisation, city_code="340100", batch_id="made-up-2027",
        pack_version="2027.1-test", clause="4", project_name="大赛成果转化项目", state=S.SUBMITTED,
        reference="DX2027-340100-000001", first_submitted_at=at("2027-03-10 10:00:00"))
    time_machine.move_to(at("2027-03-20 10:00:00"), tick=False)
    login(client, users["hefei_clerk"])

    worklist = client.get("/review/?batch=made-up-2027").content.decode()
    assert 'action="/review/batch-recommend/?batch=made-up-2027"' in worklist
    confirm = client.post("/review/batch-recommend/?batch=made-up-2027", {"selected": [app.pk]}).content.decode()
    assert 'action="/review/batch-recommend/?batch=made-up-2027"' in confirm
    assert 'href="/review/?batch=made-up-2027"' in confirm  # ← 工作台 and 取消
    done = client.post("/review/batch-recommend/?batch=made-up-2027", {"selected": [app.pk], "confirm": "1"})
    assert done.status_code == 302 and done.url == "/review/?batch=made-up-2027"
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED
