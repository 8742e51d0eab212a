"""Batch recommend with one confirmation (issue 20 item 5): tick on the work list, confirm once."""

import pytest

from duixian.applications.models import ApplicationState as S, StateChange
from duixian.applications.workflow import application_transition
from duixian.audit.models import AuditEvent

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(users, time_machine):
    apps = [make_submitted(users["hefei_applicant"], name, when=when, time_machine=time_machine)
            for name, when in (("医院影像辅助诊断大模型应用", "2026-04-21 09:00:00"), ("智慧工厂质检大模型应用", "2026-04-21 10:00:00"))]
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    return apps


def test_ticked_applications_are_listed_once_then_recommended_on_one_confirmation(client, users, two):
    signin(client, users["hefei_clerk"])
    worklist = client.get("/review/").content.decode()
    assert all(f'name="selected" value="{a.pk}"' in worklist for a in two)
    ids = [a.pk for a in two]
    confirm = client.post("/review/batch-recommend/", {"selected": ids}).content.decode()
    assert "将以下 2 个申报推荐至省科技厅" in confirm and all(a.reference in confirm for a in two)
    assert all(a.state == S.SUBMITTED for a in (type(two[0]).objects.get(pk=pk) for pk in ids))  # nothing yet
    response = client.post("/review/batch-recommend/", {"selected": ids, "confirm": "1"}, follow=True)
    assert "已推荐 2 个申报" in response.content.decode()
    for app in two:
        app.refresh_from_db()
        assert app.state == S.RECOMMENDED
        assert StateChange.objects.filter(application=app, action="recommend").count() == 1
    assert AuditEvent.objects.filter(action="application.recommend", outcome="success").count() == 2


def test_all_or_none_when_one_cannot_be_recommended(client, users, two):
    hospital, factory = two
    application_transition(factory, "recommend", users["hefei_clerk"])
    signin(client, users["hefei_clerk"])
    confirm = client.post("/review/batch-recommend/", {"selected": [hospital.pk, factory.pk]}).content.decode()
    assert 'id="batch-refused"' in confirm and "只有待审核的申报可以推荐" in confirm
    assert "确认推荐" not in confirm
    response = client.post("/review/batch-recommend/", {"selected": [hospital.pk, factory.pk], "confirm": "1"},
                           follow=True)
    assert "所选申报均未推荐" in response.content.decode()
    hospital.refresh_from_db()
    assert hospital.state == S.SUBMITTED


def test_another_citys_application_is_never_in_the_batch(client, users, two, time_machine):
    wuhu = make_submitted(users["wuhu_applicant"], "港口调度大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    confirm = client.post("/review/batch-recommend/", {"selected": [two[0].pk, wuhu.pk]}).content.decode()
    assert wuhu.reference not in confirm and "港口调度" not in confirm
    client.post("/review/batch-recommend/", {"selected": [two[0].pk, wuhu.pk], "confirm": "1"})
    wuhu.refresh_from_db()
    assert wuhu.state == S.SUBMITTED


def test_only_clerks_and_only_by_post(client, users, two):
    signin(client, users["hefei_applicant"])
    assert client.post("/review/batch-recommend/", {"selected": [two[0].pk], "confirm": "1"}).status_code == 404
    signin(client, users["hefei_clerk"])
    assert client.get("/review/batch-recommend/").status_code == 405
