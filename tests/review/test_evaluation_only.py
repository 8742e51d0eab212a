"""五（一）4: a 2024-approved park that skipped the 2025 evaluation takes part this year but is paid
nothing — its own outcome from submission to the 汇总表 and the decision (issue 17 item 2)."""

from decimal import Decimal

import pytest

from duixian.applications.models import Application, StateChange
from duixian.applications.services import application_create, application_save_answers, application_submit
from duixian.decisions.services import DecisionError, decision_approve
from duixian.exports.summary import summary_data

from .conftest import at, fill_materials, make_submitted, signin

pytestmark = pytest.mark.django_db

PARK = {
    "project.in_anhui": True, "project.occurred_on": "2025-11-20", "contact_name": "王园区",
    "contact_phone": "0551-63538227", "org.independent_legal_person": True, "org.owns_ip": True,
    "org.credit_good": True, "org.major_violation": False, "operator.prior_support": [],
}


def park_application(user, project, *, approved_year, evaluated=None, amount="0", application_type="evaluation"):
    app = application_create(user=user, clause="5", application_type=application_type, project_name=project)
    answers = {**PARK, "amount_requested_wan": amount, "park.approved_year": approved_year}
    if evaluated is not None:
        answers["park.evaluated_in_2025"] = evaluated
    app = application_save_answers(app, answers, user=user)
    fill_materials(app, user)
    return app


@pytest.fixture
def evaluation_only(users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = park_application(users["hefei_applicant"], "庐州人工智能产业园2025年度绩效评价", approved_year=2024,
                           evaluated=False)
    return application_submit(app, user=users["hefei_applicant"], token="tok-park", declaration=True)


def test_the_verdict_is_its_own_outcome_with_nothing_to_redeem(evaluation_only):
    verdict = evaluation_only.submissions.get().verdict
    assert verdict["status"] == "evaluation_only" and verdict["max_amount_wan"] == "0.00"


def test_the_amount_is_not_asked_and_zero_is_applied_for(users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    # an amount typed before the answers made it evaluation-only (the question is then hidden)
    app = park_application(users["hefei_applicant"], "某园区", approved_year=2024, evaluated=False, amount="50")
    app = application_submit(app, user=users["hefei_applicant"], token="tok-50", declaration=True)
    assert app.amount_requested_wan == Decimal("0.00")
    assert app.submissions.get().amount_requested_wan == Decimal("0.00")


def test_the_city_forwards_it_without_an_override_reason(client, users, time_machine, evaluation_only):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{evaluation_only.pk}/").content.decode()
    assert "须参加绩效评价，不享受兑现" in page and "不采纳系统预审结果" not in page
    response = client.post(f"/review/{evaluation_only.pk}/act/recommend/", {"rec-expected_state": "submitted"})
    assert response.status_code == 302
    assert Application.objects.get(pk=evaluation_only.pk).state == "recommended"
    assert StateChange.objects.get(application=evaluation_only, action="recommend").reason == ""


def test_summary_rows_say_creation_or_evaluation_and_the_evaluation_only_amount_is_zero(users, time_machine,
                                                                                       evaluation_only):
    time_machine.move_to(at("2026-04-21 10:00:00"), tick=False)
    creation = park_application(users["hefei_applicant"], "滨湖通用人工智能产业创新园", approved_year=None,
                                application_type="creation", amount="0")
    creation = application_submit(creation, user=users["hefei_applicant"], token="tok-creation", declaration=True)
    scene = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", when="2026-04-22 09:00:00",
                           time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    from duixian.applications.workflow import application_transition

    for app in (evaluation_only, creation, scene):
        application_transition(app, "recommend", users["hefei_clerk"])
    rows = {r.project_name: r for r in summary_data("340100").rows}
    assert rows["庐州人工智能产业园2025年度绩效评价"].clause_cell == "5.支持产业集聚发展（绩效评价）"
    assert rows["庐州人工智能产业园2025年度绩效评价"].amount_wan == Decimal("0.00")
    assert rows["滨湖通用人工智能产业创新园"].clause_cell == "5.支持产业集聚发展（创建）"
    assert rows["医院影像辅助诊断大模型应用"].clause_cell == "2.促进垂类模型应用"


def test_the_province_decides_it_at_zero_only(users, time_machine, evaluation_only):
    from duixian.applications.workflow import application_transition

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(evaluation_only, "recommend", users["hefei_clerk"])
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    # the refusal names the verdict and the notice's place from the pack's rule (五、（一）4)
    with pytest.raises(DecisionError, match="预审结论为“须参加绩效评价，不享受兑现”（五、（一）4），核定金额只能为 0 万元"):
        decision_approve(evaluation_only, amount="1", user=users["province"], without_panel_reason="绩效评价已由省厅组织")
    decision = decision_approve(evaluation_only, amount="0", user=users["province"],
                                without_panel_reason="绩效评价已由省厅组织")
    assert decision.amount_wan == Decimal("0.00")


def test_other_applications_still_need_an_amount_above_zero(users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    scene = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    from duixian.applications.workflow import application_transition

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    application_transition(scene, "recommend", users["hefei_clerk"])
    with pytest.raises(DecisionError, match="须大于 0 万元"):
        decision_approve(scene, amount="0", user=users["province"], without_panel_reason="x")


def test_the_zero_amounts_are_shown_as_zero_not_as_missing(client, users, time_machine, evaluation_only):
    """0 万元 is the outcome, not an unknown: the city's and the province's pages say 0.00, not —."""
    import re

    from duixian.applications.workflow import application_transition

    def cells(html):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    review = cells(client.get(f"/review/{evaluation_only.pk}/").content.decode())
    assert "拟申请兑现金额（万元） 0.00" in review
    application_transition(evaluation_only, "recommend", users["hefei_clerk"])
    client.logout()
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    signin(client, users["province"])
    page = client.get(f"/decisions/applications/{evaluation_only.pk}/").content.decode()
    assert '<strong id="cap">0.00</strong>' in page
    assert "拟申请兑现金额 0.00 万元" in cells(page)
    assert "0.00 / 0.00" in cells(client.get("/decisions/applications/").content.decode())
