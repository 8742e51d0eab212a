"""Expert review: 回避, isolation (404), the scoring sheet, and the panel result feeding the verdict."""

import pytest

from duixian.decisions.models import Assignment, ConflictRelation
from duixian.decisions.selectors import current_verdict, panel_result
from duixian.decisions.services import (
    DecisionError,
    assignment_create,
    assignment_score,
    declaration_add,
    decision_approve,
)

pytestmark = pytest.mark.django_db

FULL = {"technology": "20", "effect": "25", "demonstration": "26", "investment": "12"}


def score(assignment, expert, demo: bool, points=FULL):
    return assignment_score(assignment, scores=dict(points), review_facts={"scene.demonstration_effect": demo},
                            comment="示范性较强", user=expert)


def test_declared_organisation_is_never_assigned(recommended, users, experts, panel):
    app = recommended[0]
    declaration_add(expert=experts[0], uscc=app.organisation.uscc.lower(), relation=ConflictRelation.FORMER,
                    user=experts[0])
    with pytest.raises(DecisionError, match="已申报与“合肥测试科技有限公司”存在利害关系.*须回避"):
        assignment_create(application=app, expert=experts[0], panel=panel, user=users["province"])
    assert not Assignment.objects.exists()
    # The same expert may review another organisation's application.
    assignment_create(application=recommended[2], expert=experts[0], panel=panel, user=users["province"])


def test_province_recorded_employer_and_assignment_page_refuses(recommended, users, experts, panel, client):
    app = recommended[0]
    declaration_add(expert=experts[1], organisation=app.organisation, relation=ConflictRelation.EMPLOYER,
                    user=users["province"])
    client.force_login(users["province"])
    page = client.get(f"/decisions/applications/{app.pk}/").content.decode()
    assert "第二条评比专家组 · 刘芳（须回避）" in page
    response = client.post(f"/decisions/applications/{app.pk}/assign/", {"member": f"{panel.pk}:{experts[1].pk}"})
    text = response.content.decode()
    assert response.status_code == 200 and "本人所在单位" in text and "须回避，不能分配" in text
    assert not Assignment.objects.exists()


def test_an_expert_cannot_declare_for_another(users, experts):
    with pytest.raises(DecisionError, match="只有省科技厅"):
        declaration_add(expert=experts[0], uscc="91340100MA2RXH7Q95", relation="employer", user=experts[1])


def test_expert_sees_only_their_assignments(recommended, users, experts, panel, client):
    mine = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    theirs = assignment_create(application=recommended[1], expert=experts[1], panel=panel, user=users["province"])
    client.force_login(experts[0])
    home = client.get("/decisions/expert/").content.decode()
    assert recommended[0].project_name in home and recommended[1].project_name not in home
    assert client.get(f"/decisions/expert/assignments/{mine.pk}/").status_code == 200
    assert client.get(f"/decisions/expert/assignments/{theirs.pk}/").status_code == 404
    response = client.post(f"/decisions/expert/assignments/{theirs.pk}/", {"score_technology": "1"})
    assert response.status_code == 404
    assert Assignment.objects.get(pk=theirs.pk).scored_at is None
    # Province pages and other applications are closed to experts; expert pages to everyone else.
    assert client.get("/decisions/").status_code == 404
    assert client.get(f"/decisions/applications/{recommended[1].pk}/").status_code == 404
    assert client.get(f"/applications/{recommended[1].pk}/status/").status_code == 404
    client.force_login(users["hefei_applicant"])
    assert client.get(f"/decisions/expert/assignments/{mine.pk}/").status_code == 404
    client.force_login(users["hefei_clerk"])
    assert client.get("/decisions/").status_code == 404


def test_scoring_sheet_checks_every_criterion_and_fact(recommended, users, experts, panel):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    with pytest.raises(DecisionError, match="“技术水平”的分数须在 0 至 25 分之间"):
        score(a, experts[0], True, dict(FULL, technology="26"))
    with pytest.raises(DecisionError, match="请为“投入规模与可持续性”打分"):
        score(a, experts[0], True, {k: v for k, v in FULL.items() if k != "investment"})
    with pytest.raises(DecisionError, match="请对“场景应用示范效果明显，具有应用推广价值”作出"):
        assignment_score(a, scores=FULL, review_facts={}, user=experts[0])
    with pytest.raises(DecisionError, match="未分配给您"):
        score(a, experts[1], True)


def test_panel_majority_feeds_the_verdict(recommended, users, experts, panel, client):
    app = recommended[0]
    before = current_verdict(app)
    assert before.status == "needs_review"  # 示范效果 not judged yet
    assignments = [assignment_create(application=app, expert=e, panel=panel, user=users["province"]) for e in experts]
    score(assignments[0], experts[0], True)
    score(assignments[1], experts[1], False, dict(FULL, demonstration="10"))
    result = panel_result(app)
    assert result.scored == 2 and result.facts == {}  # 1:1 is a tie: the panel must confer
    assert current_verdict(app).status == "needs_review"
    score(assignments[2], experts[2], True)
    result = panel_result(app)
    assert result.facts == {"scene.demonstration_effect": True}
    assert str(result.mean_total) == "77.67"  # (83 + 67 + 83) / 3
    verdict = current_verdict(app)
    assert verdict.status == "eligible" and verdict.max_amount_wan == 24
    client.force_login(users["province"])
    page = client.get(f"/decisions/applications/{app.pk}/").content.decode()
    assert 'id="current-verdict">符合条件' in page and 'id="panel-mean">77.67' in page


def test_panel_saying_no_makes_it_ineligible(recommended, users, experts, panel):
    app = recommended[0]
    for e in experts[:2]:
        a = assignment_create(application=app, expert=e, panel=panel, user=users["province"])
        score(a, e, False)
    verdict = current_verdict(app)
    assert verdict.status == "ineligible" and verdict.rule("c2.demonstration_effect").outcome == "fail"


def test_scores_are_frozen_once_the_province_decides(recommended, users, experts, panel, client):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    score(a, experts[0], True)
    decision_approve(recommended[0], amount="24", user=users["province"])
    with pytest.raises(DecisionError, match="已对该申报作出决定"):
        score(Assignment.objects.get(pk=a.pk), experts[0], False)


def test_only_recommended_applications_are_assigned(recommended, users, experts, panel):
    decision_approve(recommended[0], amount="24", user=users["province"], without_panel_reason="专家组线下评审")
    with pytest.raises(DecisionError, match="只有市级已推荐、尚未决定的申报可以分配"):
        assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])


def test_expert_scores_through_the_page(recommended, users, experts, panel, client):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    client.force_login(experts[0])
    data = {f"score_{k}": v for k, v in FULL.items()}
    response = client.post(f"/decisions/expert/assignments/{a.pk}/", dict(data, score_effect="31"))
    assert "“应用成效”的分数不能超过 30 分" in response.content.decode()
    data["fact_scene.demonstration_effect"] = "yes"
    response = client.post(f"/decisions/expert/assignments/{a.pk}/", data)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.total == 83 and a.review_facts == {"scene.demonstration_effect": True}


def test_assigned_expert_reads_materials_others_get_404(recommended, users, experts, panel, client):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    other = assignment_create(application=recommended[1], expert=experts[1], panel=panel, user=users["province"])
    material = recommended[0].materials.first()
    foreign = recommended[1].materials.first()
    client.force_login(experts[0])
    response = client.get(f"/decisions/expert/assignments/{a.pk}/materials/{material.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    # Another application's material through my assignment, or through theirs: 404.
    assert client.get(f"/decisions/expert/assignments/{a.pk}/materials/{foreign.pk}/").status_code == 404
    assert client.get(f"/decisions/expert/assignments/{other.pk}/materials/{foreign.pk}/").status_code == 404
    from duixian.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="decisions.expert_material_download", username="expert1").count() == 1


def test_the_panels_table_names_the_clause_as_the_notice_does(panel, users, client):
    from tests.applications.conftest import signin

    signin(client, users["province"])
    page = client.get("/decisions/review/").content.decode()
    assert "第二条" in page and "第2条" not in page


def test_the_expert_sees_the_applicants_answers_not_only_the_files(recommended, users, experts, panel, client):
    mine = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    client.force_login(experts[0])
    page = client.get(f"/decisions/expert/assignments/{mine.pk}/").content.decode()
    assert 'id="answers-h"' in page and "申报信息（提交时）" in page
    assert "场景开发投入（万元）" in page and "<td>120</td>" in page  # CLAUSE2_ANSWERS' investment
