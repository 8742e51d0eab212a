"""The province's guards (issue 15, item 6): expert scores before approving an expert-reviewed
clause, payments within what was allocated and 部分拨付, withdrawn applications out of the
totals, and objections with an outcome the submitter can look up."""

from datetime import date
from decimal import Decimal

import pytest

from duixian.applications.models import ApplicationState as S
from duixian.audit.models import AuditEvent
from duixian.decisions.models import Decision
from duixian.decisions.services import DecisionError, assignment_create, assignment_score, decision_approve
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db
FULL = {"technology": "20", "effect": "25", "demonstration": "26", "investment": "12"}


def _score(assignment, expert):
    return assignment_score(assignment, scores=dict(FULL), review_facts={"scene.demonstration_effect": True},
                            user=expert)


# ---- a) clause 二 is an expert 评比 -----------------------------------------------------------------


def test_clause_2_cannot_be_approved_with_no_expert_assigned(recommended, users):
    app = recommended[0]
    with pytest.raises(DecisionError, match="尚未分配专家") as refused:
        decision_approve(app, amount="24", user=users["province"])
    assert refused.value.field == "without_panel_reason"
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED and not Decision.objects.exists()


def test_clause_2_waits_for_every_assigned_expert(recommended, users, experts, panel):
    app = recommended[0]
    first = assignment_create(application=app, expert=experts[0], panel=panel, user=users["province"])
    assignment_create(application=app, expert=experts[1], panel=panel, user=users["province"])
    _score(first, experts[0])
    with pytest.raises(DecisionError, match="2 名专家中还有 1 名未提交评分"):
        decision_approve(app, amount="24", user=users["province"])
    second = app.expert_assignments.get(expert=experts[1])
    _score(second, experts[1])
    decision = decision_approve(app, amount="24", user=users["province"])
    assert decision.panel_waiver == ""


def test_a_recorded_reason_lets_the_province_decide_without_scores(recommended, users, client):
    app = recommended[0]
    client.force_login(users["province"])
    page = client.get(f"/decisions/applications/{app.pk}/").content.decode()
    assert 'id="panel-shortfall"' in page and 'name="without_panel_reason"' in page
    response = client.post(f"/decisions/applications/{app.pk}/approve/", {"amount": "24", "expected_state": "recommended"})
    assert response.status_code == 200 and "尚未分配专家" in response.content.decode()
    response = client.post(f"/decisions/applications/{app.pk}/approve/", {
        "amount": "24", "expected_state": "recommended", "without_panel_reason": "专家组线下评审，评分表纸质存档"})
    assert response.status_code == 302
    decision = Decision.objects.get(application=app)
    assert decision.panel_waiver == "专家组线下评审，评分表纸质存档"
    event = AuditEvent.objects.get(action="decisions.approve", object_id=str(app.pk), outcome="success")
    assert event.detail["panel_waived"] == "专家组线下评审，评分表纸质存档"
    assert event.detail["panel_assigned"] == 0 and event.detail["panel_scored"] == 0
    assert "专家组线下评审，评分表纸质存档" in client.get(f"/decisions/applications/{app.pk}/").content.decode()


# ---- b) payments within what was allocated; 部分拨付 until paid in full ---------------------------------


def test_payment_never_exceeds_what_was_allocated(published, users, time_machine):
    from duixian.decisions.services import funding_record

    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    province = users["province"]
    app = published.items.get(number=1).application  # approved 24.00, nothing allocated
    with pytest.raises(DecisionError, match="累计拨付金额不能超过已下达金额 0.00 万元.*请先登记资金下达") as refused:
        funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="10", voucher="PZ-1", user=province)
    assert refused.value.field == "amount"
    app.refresh_from_db()
    assert app.state == S.PUBLISHED and not app.funding.exists()
    funding_record(app, kind="allocation", on_date=date(2026, 7, 1), amount="10", voucher="皖科资1号", user=province)
    with pytest.raises(DecisionError, match="已下达金额 10.00 万元"):
        funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="10.01", voucher="PZ-1", user=province)


def test_status_says_partly_paid_until_the_approved_amount_is_paid(published, users, time_machine, client):
    from duixian.decisions.services import funding_record

    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    province = users["province"]
    app = published.items.get(number=1).application  # approved 24.00
    funding_record(app, kind="allocation", on_date=date(2026, 7, 1), amount="24", voucher="皖科资1号", user=province)
    funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="10", voucher="PZ-1", user=province)
    app.refresh_from_db()
    assert app.state == S.PARTLY_PAID and app.state_label == "部分拨付"
    change = app.history.get(action="pay_part")
    assert "累计拨付 10.00 / 核定 24.00 万元" in change.reason
    assert app.organisation.notifications.filter(event="application.pay_part").exists()
    funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="4", voucher="PZ-2", user=province)
    app.refresh_from_db()
    assert app.state == S.PARTLY_PAID  # 14 of 24
    funding_record(app, kind="payment", on_date=date(2026, 7, 1), amount="10", voucher="PZ-3", user=province)
    app.refresh_from_db()
    assert app.state == S.PAID and app.state_label == "已兑现拨付"
    assert app.history.filter(action="pay", reason__contains="累计拨付 24.00 / 核定 24.00 万元").exists()
    client.force_login(users["hefei_applicant"])
    assert "已兑现拨付" in client.get(f"/applications/{app.pk}/status/").content.decode()


# ---- c) withdrawn applications are not in 拟申请金额合计 ---------------------------------------------


def test_withdrawn_applications_are_not_in_the_requested_totals(users, time_machine, client):
    from duixian.applications.workflow import application_transition
    from duixian.decisions.selectors import progress

    from .conftest import make_recommended

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    make_recommended(users["hefei_applicant"], users["hefei_clerk"], "甲项目", amount=24)
    gone = make_recommended(users["hefei_applicant"], users["hefei_clerk"], "乙项目", amount=20, recommend=False)
    application_transition(gone, "withdraw", users["hefei_applicant"])
    report = progress()
    hefei = next(r for r in report.cities if r.code == "340100")
    assert hefei.counts.withdrawn == 1
    assert hefei.counts.amount_requested == Decimal("24.00")
    assert report.total.amount_requested == Decimal("24.00")
    clause2 = next(r for r in report.clauses if r.code == "2")
    assert clause2.counts.amount_requested == Decimal("24.00")
    client.force_login(users["province"])
    page = client.get("/decisions/").content.decode()
    assert '<strong data-stat="amount_requested">24.00</strong>' in page
    assert "44.00" not in page


# ---- d) a 公示 objection gets an outcome, links to the decision, and can be looked up -------------------


def test_upheld_objection_links_its_decision_and_stops_the_money(published, users, client, time_machine):
    from duixian.decisions.services import funding_record, objection_answer, objection_submit

    item = published.items.get(number=1)
    objection = objection_submit(publication=published, item=None, name="赵敏", phone="13155113928",
                                 body="该场景尚未投入使用")
    province = users["province"]
    with pytest.raises(DecisionError, match="请选择异议是否成立"):
        objection_answer(objection, answer="经核实成立", outcome="", user=province)
    with pytest.raises(DecisionError, match="请选择异议涉及的公示项目"):
        objection_answer(objection, answer="经核实成立", outcome="upheld", user=province)
    client.force_login(province)
    response = client.post(f"/decisions/objections/{objection.pk}/answer/", {
        f"o{objection.pk}-outcome": "upheld", f"o{objection.pk}-item": str(item.pk),
        f"o{objection.pk}-answer": "经现场核实，该场景于2026年3月方投入使用，异议成立。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "upheld" and objection.decision == item.application.decision
    event = AuditEvent.objects.get(action="decisions.objection_answer")
    assert event.detail["outcome"] == "upheld" and event.detail["application"] == item.application_id
    page = client.get(f"/decisions/applications/{item.application_id}/").content.decode()
    assert objection.reference in page and "异议成立" in page
    assert item.application.organisation.notifications.filter(event="decisions.objection_upheld").exists()
    time_machine.move_to(at("2026-07-01 10:00:00"), tick=False)
    with pytest.raises(DecisionError, match=f"受理编号 {objection.reference}.*经核实成立，不能登记资金下达和拨付"):
        funding_record(item.application, kind="allocation", on_date=date(2026, 7, 1), amount="24", voucher="皖科资1号",
                       user=province)


def test_submitter_looks_up_the_outcome_by_reference_without_personal_data(published, users, client, settings):
    from duixian.decisions.services import objection_answer, objection_submit

    item = published.items.get(number=2)
    objection = objection_submit(publication=published, item=item, name="赵敏", phone="13705516482",
                                 body="该项目与去年重复")
    page = client.get("/public/gongshi/objection/lookup/", {"reference": objection.reference}).content.decode()
    assert "核实中" in page and item.project_name in page
    objection_answer(objection, answer="经核实，两项目场景不同，异议不成立。", outcome="dismissed", user=users["province"])
    page = client.get("/public/gongshi/objection/lookup/", {"reference": objection.reference.lower()}).content.decode()
    assert 'id="objection-outcome">异议不成立' in page and "经核实，两项目场景不同，异议不成立。" in page
    for private in ("赵敏", "13705516482", "该项目与去年重复"):
        assert private not in page
    assert "没有找到该受理编号" in client.get("/public/gongshi/objection/lookup/",
                                            {"reference": "YY20260101-000000"}).content.decode()
    assert AuditEvent.objects.filter(action="decisions.objection_lookup").count() == 3


def test_lookup_is_rate_limited_like_the_objection_form(published, client, settings):
    settings.RATE_LIMIT_OBJECTION = "2/m"
    for _ in range(2):
        assert client.get("/public/gongshi/objection/lookup/", {"reference": "YY20260101-000000"}).status_code == 200
    assert client.get("/public/gongshi/objection/lookup/", {"reference": "YY20260101-000001"}).status_code == 429
