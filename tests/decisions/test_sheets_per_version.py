"""The expert's sheet is the one in the application's batch's pack in force: a 2026 version stored
without `scoring_sheets` still scores with the shipped sheet; a version that drops the sheets
(`scoring_sheets: {}`) leaves an open assignment readable, says why it cannot be scored, and
stores nothing."""

import pytest

from duixian.decisions.models import Assignment
from duixian.decisions.selectors import sheet_for
from duixian.decisions.services import DecisionError, assignment_create, assignment_score
from duixian.policy.pack import DEFAULT_PACK_PATH
from duixian.policy.services import pack_version_load

pytestmark = pytest.mark.django_db

SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
SCORES = {"technology": "20", "effect": "25", "demonstration": "26", "investment": "12"}


def _without_sheets(version: str, replacement: str = "") -> str:
    out, skipping = [], False
    for line in SHIPPED.replace('version: "2026.1"', f'version: "{version}"', 1).splitlines(keepends=True):
        if line[:1].isalpha():
            skipping = line.startswith("scoring_sheets:")
        if not skipping:
            out.append(line)
    return "".join(out) + replacement


def test_a_stored_version_without_the_section_scores_with_the_shipped_sheet(recommended, users, experts, panel):
    pack_version_load(_without_sheets("2026.7"), user=users["province"], note="补充通知（无评分表一节）")
    app = recommended[0]
    assert sheet_for(app).title == "第二条 场景应用标杆 评比评分表"
    a = assignment_create(application=app, expert=experts[0], panel=panel, user=users["province"])
    scored = assignment_score(a, scores=SCORES, review_facts={"scene.demonstration_effect": True}, user=experts[0])
    assert scored.total == 83 and scored.review_facts == {"scene.demonstration_effect": True}


def test_a_version_without_sheets_leaves_an_assignment_readable_but_unscorable(recommended, users, experts, panel,
                                                                                client):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    pack_version_load(_without_sheets("2026.8", "scoring_sheets: {}\n"), user=users["province"], note="取消专家评审")
    assert sheet_for(recommended[0]) is None
    client.force_login(experts[0])
    page = client.get(f"/decisions/expert/assignments/{a.pk}/")
    assert page.status_code == 200 and "政策包没有该条款的评分表，不能评分" in page.content.decode()
    response = client.post(f"/decisions/expert/assignments/{a.pk}/", {"score_technology": "20"})
    assert response.status_code == 302 and Assignment.objects.get(pk=a.pk).scored_at is None
    with pytest.raises(DecisionError, match="没有评分表"):
        assignment_score(a, scores=SCORES, review_facts={}, user=experts[0])
