"""The clerk reads a second batch's application with that notice's words: a question the 2026
notice does not know (the made-up 2027 notice's 场景服务用户数) is named, not shown as its key."""

import pytest

from duixian.applications.models import Application, ApplicationState as S, Submission
from tests.policy.test_batches import load_second

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_review_page_names_the_answers_of_a_second_batchs_application(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    app = Application.objects.create(
        organisation=users["hefei_applicant"].organisation, city_code="340100", batch_id="made-up-2027",
        pack_version="2027.1-test", clause="2", project_name="社区养老服务大模型应用", state=S.SUBMITTED,
        reference="DX2027-340100-000002", first_submitted_at=at("2027-03-10 10:00:00"),
        facts={"scene": {"status": "in_use", "users_count": 1500}})
    Submission.objects.create(application=app, number=1, token="t-2027", submitted_at=at("2027-03-10 10:00:00"),
                              pack_version="2027.1-test",
                              answers={"scene": {"status": "in_use", "users_count": 1500}})
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)  # the 2026 batch is the default
    login(client, users["hefei_clerk"])

    page = client.get(f"/review/{app.pk}/").content.decode()
    assert "场景服务用户数" in page and "scene.users_count" not in page
