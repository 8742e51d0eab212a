"""A 好差评 is refused by the authorization registry (tracking.rate, through can_rate), role
ceiling included: the service never asks a rule function past the registry."""

from dataclasses import replace

import pytest

from duixian import authz
from duixian.tracking.models import ServiceRating
from duixian.tracking.services import RatingRefused, rating_submit

EVERYONE = ["hefei_applicant", "wuhu_applicant", "hefei_clerk", "wuhu_clerk", "province", "expert",
            "system_admin", "security_admin", "audit_admin"]


@pytest.mark.parametrize("who", [w for w in EVERYONE if w != "hefei_applicant"])
def test_every_other_role_is_refused_with_the_registrys_reason(recommended, users, who):
    decision = authz.check(users[who], "tracking.rate", recommended[0])
    assert not decision.allowed
    with pytest.raises(RatingRefused) as refused:
        rating_submit(recommended[0], stage="city", score=5, user=users[who])
    assert refused.value.message == decision.reason


def test_a_role_outside_the_rules_table_is_refused_by_the_service_itself(recommended, users, monkeypatch):
    """Were the rule function to let the province through, the role ceiling (the applicant
    organisation) still refuses its rating."""
    found = authz.get_rule("tracking.rate")
    monkeypatch.setitem(authz._rules, "tracking.rate", replace(found, function=lambda user, app: authz.allow()))
    with pytest.raises(RatingRefused) as refused:
        rating_submit(recommended[0], stage="city", score=5, user=users["province"])
    assert refused.value.message == "您无权进行此操作。"
    assert not ServiceRating.objects.exists()
