"""The city review's services ask the authorization registry (review.application, review.worklist),
not the rule functions by name: a refusal is the registry's, role ceiling included, with the
same words the reviewer saw before."""

from dataclasses import replace

import pytest

from duixian import authz
from duixian.applications.workflow import TransitionError
from duixian.review.services import ReviewError, checklist_save, city_contact_save, review_decide

EVERYONE = ["hefei_applicant", "wuhu_applicant", "hefei_clerk", "wuhu_clerk", "province", "expert",
            "system_admin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("who", [w for w in EVERYONE if w != "hefei_clerk"])
def test_every_other_role_is_refused_with_the_registrys_reason(users, submitted, who):
    user = users[who]
    decision = authz.check(user, "review.application", submitted)
    assert not decision.allowed
    with pytest.raises(TransitionError) as refused:
        review_decide(submitted, "recommend", user=user)
    assert refused.value.message == decision.reason
    with pytest.raises(ReviewError) as refused:
        checklist_save(submitted, {}, user=user)
    assert refused.value.message == decision.reason


@pytest.mark.parametrize("who", [w for w in EVERYONE if w not in ("hefei_clerk", "wuhu_clerk")])
def test_only_a_clerk_keeps_a_city_contact(users, who):
    decision = authz.check(users[who], "review.worklist")
    assert not decision.allowed
    with pytest.raises(ReviewError) as refused:
        city_contact_save("340100", name="张晓明", phone="13912346594", user=users[who])
    assert refused.value.message == "只有归口管理部门（市科技局）的工作人员可以使用审核推荐工作台。" == decision.reason


def test_the_clerk_of_the_city_still_recommends(users, submitted):
    app = review_decide(submitted, "recommend", user=users["hefei_clerk"])
    assert app.state == "recommended"


def _rule_that_allows_everyone(monkeypatch, action):
    found = authz.get_rule(action)
    function = (lambda user, obj: authz.allow()) if found.takes_object else (lambda user: authz.allow())
    monkeypatch.setitem(authz._rules, action, replace(found, function=function))


def test_a_role_outside_the_rules_table_is_refused_by_the_service_itself(users, submitted, monkeypatch):
    """Were the rule function to let the province through, the registry's role ceiling (the city
    clerk alone) still refuses it: the service no longer asks the function by name."""
    _rule_that_allows_everyone(monkeypatch, "review.application")
    _rule_that_allows_everyone(monkeypatch, "review.worklist")
    province = users["province"]
    with pytest.raises(TransitionError) as refused:
        review_decide(submitted, "recommend", user=province)
    assert refused.value.message == "您无权进行此操作。"
    with pytest.raises(ReviewError) as refused:
        checklist_save(submitted, {}, user=province)
    assert refused.value.message == "您无权进行此操作。"
    with pytest.raises(ReviewError) as refused:
        city_contact_save("340100", name="张晓明", phone="13912346594", user=province)
    assert refused.value.message == "您无权进行此操作。"
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
