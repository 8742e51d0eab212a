"""The province's and the expert's services ask the authorization registry (decisions.manage,
assignment.score), not the rule functions by name: a refusal is the registry's, role ceiling
included, with the same words as before."""

from dataclasses import replace

import pytest

from duixian import authz
from duixian.decisions.services import DecisionError, assignment_create, assignment_score, panel_create
from duixian.policy.pack import default_pack

EVERYONE = ["hefei_applicant", "wuhu_applicant", "hefei_clerk", "wuhu_clerk", "province", "expert",
            "system_admin", "security_admin", "audit_admin"]


def _panel(user, experts):
    return panel_create(batch_id=default_pack().batch_id, clause="2", name="第二条评比专家组二",
                        members=experts, user=user)


@pytest.mark.parametrize("who", [w for w in EVERYONE if w != "province"])
def test_only_the_province_forms_a_panel(users, experts, who):
    decision = authz.check(users[who], "decisions.manage")
    with pytest.raises(DecisionError) as refused:
        _panel(users[who], experts)
    assert refused.value.message == decision.reason == "只有省科技厅工作人员可以进行此操作。"


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_assigned_expert_scores(recommended, users, experts, panel, who):
    assignment = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    decision = authz.check(users[who], "assignment.score", assignment)
    assert not decision.allowed
    with pytest.raises(DecisionError) as refused:
        assignment_score(assignment, scores={}, review_facts={}, user=users[who])
    assert refused.value.message == decision.reason == "该评审任务未分配给您。"


def _rule_that_allows_everyone(monkeypatch, action):
    found = authz.get_rule(action)
    function = (lambda user, obj: authz.allow()) if found.takes_object else (lambda user: authz.allow())
    monkeypatch.setitem(authz._rules, action, replace(found, function=function))


def test_a_role_outside_the_rules_table_is_refused_by_the_service_itself(recommended, users, experts, panel,
                                                                         monkeypatch):
    """Were the rule functions to let a city clerk through, the registry's role ceilings (the
    province; the expert) still refuse it: the services no longer ask the functions by name."""
    assignment = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    _rule_that_allows_everyone(monkeypatch, "decisions.manage")
    _rule_that_allows_everyone(monkeypatch, "assignment.score")
    clerk = users["hefei_clerk"]
    with pytest.raises(DecisionError) as refused:
        _panel(clerk, experts)
    assert refused.value.message == "您无权进行此操作。"
    with pytest.raises(DecisionError) as refused:
        assignment_score(assignment, scores={}, review_facts={}, user=clerk)
    assert refused.value.message == "您无权进行此操作。"
