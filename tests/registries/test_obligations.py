"""Parks that owe this year's evaluation (五、（一）4): the province's list, reminders, the park's dashboard."""

import pytest
from django.utils import timezone

from duixian.authz.roles import Role
from duixian.applications.models import Application, Notification
from duixian.audit.models import AuditEvent
from duixian.orgs.models import OrgKind
from duixian.policy.pack import default_pack
from duixian.registries.dashboard import dashboard_links
from duixian.registries.models import EvaluationReminder
from duixian.registries.selectors import obligated_parks
from tests.conftest import make_org, make_user

from .conftest import OTHER, PARK_A, PARK_B, PARK_C, import_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(users):
    org_a = make_org(PARK_A, "合肥园区运营有限公司", "340100", kind=OrgKind.PARK_OPERATOR)
    org_b = make_org(PARK_B, "芜湖园区运营有限公司", "340200", kind=OrgKind.PARK_OPERATOR)
    make_org(OTHER, "已评价园区运营有限公司", "340100", kind=OrgKind.PARK_OPERATOR)
    Application.objects.create(organisation=org_b, city_code="340200", batch_id=default_pack().batch_id, clause="5",
                               application_type="evaluation", project_name="芜湖智能产业园", state="submitted",
                               first_submitted_at=timezone.now())
    import_rows("approved_park", [
        [PARK_A, "合肥园区运营有限公司", "合肥人工智能产业园", "2025", "", "皖科〔2025〕1号"],
        [PARK_B, "芜湖园区运营有限公司", "芜湖智能产业园", "2024", "否", "皖科〔2024〕2号"],
        [PARK_C, "蚌埠园区运营有限公司", "蚌埠大模型产业园", "2025", "", "皖科〔2025〕1号"],
        [OTHER, "已评价园区运营有限公司", "已评价产业园", "2024", "是", "皖科〔2024〕2号"],
    ], users["province"])
    return {"a": org_a, "b": org_b, "user_a": make_user("park_a", Role.APPLICANT, organisation=org_a)}


def test_list_shows_2025_parks_and_2024_parks_that_skipped_2025(parks):
    listed = {p.entry.project_name: p for p in obligated_parks()}
    assert set(listed) == {"合肥人工智能产业园", "芜湖智能产业园", "蚌埠大模型产业园"}
    assert listed["芜湖智能产业园"].submitted and "不可享受政策兑现" in listed["芜湖智能产业园"].reason
    assert not listed["合肥人工智能产业园"].submitted
    assert listed["蚌埠大模型产业园"].organisation is None


def test_province_page_and_reminder(client, users, parks, login):
    login(client, users["province"])
    page = client.get("/registries/parks/obligations/").content.decode()
    assert "共 3 个园区，其中 <strong>2</strong> 个尚未提交绩效评价申报" in page
    assert "已评价产业园" not in page
    assert "运营单位未在平台注册，请电话联系" in page

    response = client.post("/registries/parks/obligations/remind/",
                           {"uscc": PARK_A, "park_name": "合肥人工智能产业园"}, follow=True)
    assert "已向“合肥人工智能产业园”的运营单位发送提醒" in response.content.decode()
    note = Notification.objects.get(organisation=parks["a"])
    assert note.event == "registries.evaluation_reminder" and "合肥人工智能产业园" in note.title
    assert EvaluationReminder.objects.get().sent_by == users["province"]
    assert AuditEvent.objects.filter(action="registry.evaluation_reminder", detail__uscc=PARK_A).exists()
    assert "已提醒 1 次" in client.get("/registries/parks/obligations/").content.decode()

    refused = client.post("/registries/parks/obligations/remind/",
                          {"uscc": PARK_B, "park_name": "芜湖智能产业园"}, follow=True)
    assert "已提交绩效评价申报，无需提醒" in refused.content.decode()
    unregistered = client.post("/registries/parks/obligations/remind/",
                               {"uscc": PARK_C, "park_name": "蚌埠大模型产业园"}, follow=True)
    assert "尚未在平台注册" in unregistered.content.decode()
    assert EvaluationReminder.objects.count() == 1


def test_the_park_sees_its_obligation_until_it_submits(client, parks, login):
    user = parks["user_a"]
    (link,) = dashboard_links(user)
    assert "须参加本年度园区绩效评价" in link["label"] and "合肥人工智能产业园" in link["label"]
    login(client, user)
    page = client.get("/registries/my-obligations/").content.decode()
    assert "2025年度评审通过，须参加本年度绩效评价" in page and "尚未提交" in page

    Application.objects.create(organisation=parks["a"], city_code="340100", batch_id=default_pack().batch_id, clause="5",
                               application_type="evaluation", project_name="合肥人工智能产业园", state="submitted",
                               first_submitted_at=timezone.now())
    assert dashboard_links(user) == []
    assert "已提交" in client.get("/registries/my-obligations/").content.decode()


def test_a_park_with_no_obligation_sees_nothing(users, parks):
    assert dashboard_links(users["hefei_applicant"]) == []


def test_the_obligation_is_on_the_park_s_dashboard_page(client, parks, login):
    login(client, parks["user_a"])
    page = client.get("/dashboard/").content.decode()
    assert 'class="obligation"' in page and "须参加本年度园区绩效评价（尚未提交）：合肥人工智能产业园" in page


def test_which_rows_owe_an_application_is_the_packs(parks):
    from duixian.policy.pack import DEFAULT_PACK_PATH, PackError, load_pack_text

    text = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    only_2025 = text.replace("      - {year: 2024, evaluated: false, reason: 2024年度评审通过但未参加2025年度绩效评价，"
                             "须参加本年度绩效评价（不可享受政策兑现）}\n", "")
    assert only_2025 != text
    listed = {p.entry.project_name: p for p in obligated_parks(pack=load_pack_text(only_2025, "only-2025.yaml"))}
    assert set(listed) == {"合肥人工智能产业园", "蚌埠大模型产业园"}
    park = listed["合肥人工智能产业园"]
    assert (park.owed, park.citation) == ("2025年度园区绩效评价", "五、（一）4")
    none = text.replace("    obliges:\n", "    unused_obliges:\n")
    with pytest.raises(PackError, match="registries.approved_park.unused_obliges"):  # unknown keys are refused
        load_pack_text(none, "bad.yaml")
