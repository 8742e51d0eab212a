"""The province's decisions: the cap, recommended only, batches all-or-nothing, history and audit."""

from decimal import Decimal

import pytest

from duixian.applications.models import Application, ApplicationState as S, StateChange
from duixian.audit.models import AuditEvent
from duixian.decisions.models import Decision
from duixian.decisions.services import DecisionError, decision_approve, decision_reject
from tests.applications.conftest import at

from .conftest import make_recommended

pytestmark = pytest.mark.django_db
WAIVER = "专家组已线下评审，评分表纸质存档"  # clause 二 is an expert 评比: approving without scores needs a reason


def test_amount_above_the_cap_is_refused_with_the_cap_named(recommended, users):
    app = recommended[0]  # 场景开发投入 120 万元 → cap 20% = 24.00 万元
    with pytest.raises(DecisionError, match="超过该申报按政策可兑现的上限 24.00 万元"):
        decision_approve(app, amount="24.01", user=users["province"])
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED and not Decision.objects.exists()


def test_amount_at_the_cap_is_approved_and_recorded_everywhere(recommended, users, client):
    app = recommended[0]
    decision = decision_approve(app, amount="24", user=users["province"], without_panel_reason=WAIVER)
    app.refresh_from_db()
    assert app.state == S.APPROVED
    assert decision.amount_wan == Decimal("24.00") and decision.cap_wan == Decimal("24.00")
    change = StateChange.objects.get(application=app, action="approve")
    assert change.reason == "核定兑现金额 24.00 万元" and change.actor == users["province"]
    event = AuditEvent.objects.get(action="decisions.approve", object_id=str(app.pk))
    assert event.detail["amount_wan"] == "24.00" and event.username == "province"
    assert AuditEvent.objects.filter(action="application.approve", object_id=str(app.pk)).exists()
    # The applicant is told.
    assert app.organisation.notifications.filter(event="application.approve").exists()


@pytest.mark.parametrize("amount, message", [
    ("0", "须大于 0"), ("-3", "须大于 0"), ("12.345", "最多保留两位小数"), ("abc", "须为数字"),
])
def test_bad_amounts_are_refused(recommended, users, amount, message):
    with pytest.raises(DecisionError, match=message):
        decision_approve(recommended[0], amount=amount, user=users["province"])


def test_amount_above_what_was_requested_is_refused(recommended, users):
    app = recommended[1]  # requested 20, cap 24
    with pytest.raises(DecisionError, match="超过申报单位拟申请的 20.00 万元"):
        decision_approve(app, amount="21", user=users["province"])


def test_decision_on_a_not_recommended_application_is_refused(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    waiting = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "未推荐项目", recommend=False)
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    with pytest.raises(DecisionError, match="只能对市级已推荐的申报作出决定，该申报当前状态为“已提交，待市级审核”"):
        decision_approve(waiting, amount="10", user=users["province"])
    with pytest.raises(DecisionError, match="只能对市级已推荐的申报作出决定"):
        decision_reject(waiting, reason="材料不全", user=users["province"])
    waiting.refresh_from_db()
    assert waiting.state == S.SUBMITTED


def test_a_second_decision_is_refused(recommended, users):
    decision_reject(recommended[0], reason="示范效果不明显", user=users["province"])
    with pytest.raises(DecisionError, match="已作出决定（省级评审未通过），不能重复决定"):
        decision_approve(recommended[0], amount="10", user=users["province"])


def test_reject_needs_a_reason_and_records_it(recommended, users):
    with pytest.raises(DecisionError, match="须填写理由"):
        decision_reject(recommended[0], reason="  ", user=users["province"])
    decision_reject(recommended[0], reason="示范效果不明显", user=users["province"])
    change = StateChange.objects.get(application=recommended[0], action="reject")
    assert change.reason == "示范效果不明显"
    assert AuditEvent.objects.filter(action="decisions.reject", object_id=str(recommended[0].pk)).exists()


def test_only_the_province_decides(recommended, users, client):
    with pytest.raises(DecisionError, match="只有省科技厅"):
        decision_approve(recommended[0], amount="10", user=users["hefei_clerk"])
    client.force_login(users["hefei_clerk"])
    response = client.post(f"/decisions/applications/{recommended[0].pk}/approve/", {"amount": "10"})
    assert response.status_code == 404


def test_approve_page_shows_the_refusal_beside_the_amount(recommended, users, client):
    client.force_login(users["province"])
    response = client.post(f"/decisions/applications/{recommended[0].pk}/approve/",
                           {"amount": "30", "expected_state": "recommended"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "error-summary" in text and text.count("超过该申报按政策可兑现的上限 24.00 万元") == 2
    response = client.post(f"/decisions/applications/{recommended[0].pk}/approve/",
                           {"amount": "23.50", "expected_state": "recommended", "without_panel_reason": WAIVER})
    assert response.status_code == 302
    assert Application.objects.get(pk=recommended[0].pk).decision.amount_wan == Decimal("23.50")


# ---- batches --------------------------------------------------------------------------------------


def _batch(client, action, amounts: dict, reason="", without_panel_reason=""):
    data = {"action": action, "selected": [str(pk) for pk in amounts], "reason": reason,
            "without_panel_reason": without_panel_reason}
    data.update({f"amount_{pk}": amount for pk, amount in amounts.items()})
    return client.post("/decisions/applications/batch/", data, follow=True)


def test_batch_is_all_or_nothing_with_a_report(recommended, users, client):
    client.force_login(users["province"])
    a, b, c = recommended
    response = _batch(client, "approve", {a.pk: "24", b.pk: "21", c.pk: "18.50"},  # b: requested 20, cap 24
                      without_panel_reason=WAIVER)
    text = response.content.decode()
    assert "批量“评审通过”未执行" in text
    assert "超过申报单位拟申请的 20.00 万元" in text
    assert "因其他申报未通过检查，本次未执行" in text
    assert set(Application.objects.values_list("state", flat=True)) == {S.RECOMMENDED}
    assert not Decision.objects.exists() and not StateChange.objects.filter(action="approve").exists()
    assert AuditEvent.objects.filter(action="decisions.batch_approve", outcome="refused").exists()

    response = _batch(client, "approve", {a.pk: "24", b.pk: "20", c.pk: "18.50"})  # no expert has scored
    assert "批量“评审通过”未执行" in response.content.decode() and "尚未分配专家" in response.content.decode()
    response = _batch(client, "approve", {a.pk: "24", b.pk: "20", c.pk: "18.50"}, without_panel_reason=WAIVER)
    assert "批量“评审通过”已执行" in response.content.decode()
    assert set(Decision.objects.values_list("panel_waiver", flat=True)) == {WAIVER}
    assert set(Application.objects.values_list("state", flat=True)) == {S.APPROVED}
    batches = set(Decision.objects.values_list("batch", flat=True))
    assert len(batches) == 1 and batches != {""}


def test_batch_reject_needs_one_reason_for_all(recommended, users, client):
    client.force_login(users["province"])
    response = _batch(client, "reject", {recommended[0].pk: "", recommended[1].pk: ""})
    assert "评审不通过须填写理由" in response.content.decode()
    assert not Decision.objects.exists()
    _batch(client, "reject", {recommended[0].pk: "", recommended[1].pk: ""}, reason="未达到评比标准")
    assert Decision.objects.filter(outcome="rejected", reason="未达到评比标准").count() == 2


def test_batch_with_an_already_decided_application_does_nothing(recommended, users, client):
    decision_reject(recommended[2], reason="x", user=users["province"])
    client.force_login(users["province"])
    response = _batch(client, "approve", {recommended[0].pk: "24", recommended[2].pk: "10"})
    assert "不能重复决定" in response.content.decode()
    assert Application.objects.get(pk=recommended[0].pk).state == S.RECOMMENDED


def test_reject_page_asks_for_the_reason_beside_the_field(recommended, users, client):
    client.force_login(users["province"])
    response = client.post(f"/decisions/applications/{recommended[0].pk}/reject/", {"reason": " "})
    text = response.content.decode()
    assert text.count("评审不通过须填写理由。") == 2 and 'href="#reject_reason"' in text
    assert Application.objects.get(pk=recommended[0].pk).state == S.RECOMMENDED
