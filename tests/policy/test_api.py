"""POST /api/v1/evaluate answers like the CLI; bad input is a 422 naming the field."""

import json

import pytest
from ninja.testing import TestClient

from duixian.policy.api import router

from .test_engine import EXAMPLE

client = TestClient(router)
# The API answers with the pack in force (the province's active version): it reads the database.
pytestmark = pytest.mark.django_db


def post(body, **kw):
    return client.post("/evaluate", data=json.dumps(body), content_type="application/json", **kw)


def test_envelope_body():
    r = post({"clause": 2, "facts": EXAMPLE})
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "ineligible" and data["max_amount_wan"] == "24.00"
    assert any(x["citation"]["text"] == "二、（二）2" and x["outcome"] == "fail" for x in data["rules"])


def test_facts_body_with_clause_in_query():
    r = client.post("/evaluate?clause=2", data=json.dumps(EXAMPLE), content_type="application/json")
    assert r.status_code == 200 and r.json()["clause"] == "2"


@pytest.mark.parametrize("body, field", [
    ({"clause": 2, "facts": {"org": {"owns_ip": "是"}}}, "org.owns_ip"),
    ({"clause": 3, "facts": {}}, "clause"),
    ({"clause": 1, "facts": {}}, "clause"),
    ({"clause": 9, "facts": {}}, "clause"),
    ({"facts": {}}, "clause"),
    ({"clause": 2, "facts": {}, "extra": 1}, "extra"),
])
def test_bad_input_is_422_naming_the_field(body, field):
    r = post(body)
    assert r.status_code == 422
    data = r.json()
    assert data["field"] == field and any("\u4e00" <= ch <= "\u9fff" for ch in data["error"])


def test_not_json_is_422():
    r = client.post("/evaluate", data="{oops", content_type="application/json")
    assert r.status_code == 422


@pytest.mark.django_db
def test_mounted_at_api_v1_without_login(client):
    r = client.post("/api/v1/evaluate", data=json.dumps({"clause": "4", "facts": {"org": {"kind": "team"}}}),
                    content_type="application/json")
    assert r.status_code == 200
    assert r.json()["status"] == "needs_review" and r.json()["max_amount_wan"] is None


def test_policy_text_citation_missing_facts_and_evaluation_only_come_through():
    facts = json.loads(json.dumps(EXAMPLE))
    facts["scene"]["prior_support"] = ["clause1_scene_project"]
    del facts["project"]["occurred_on"]
    data = post({"clause": 2, "facts": facts}).json()
    double = next(x for x in data["rules"] if x["id"] == "c2.no_clause1_double")
    assert double["citation"]["document"] == "《若干政策（2.0版）》"
    period = next(x for x in data["rules"] if x["id"] == "common.project_period")
    assert period["missing"] == ["project.occurred_on"] and "project.occurred_on" not in period["message"]
    park = {"org": {"uscc": "91340100MA2RXH7Q95", "independent_legal_person": True, "owns_ip": True,
                    "credit_good": True, "major_violation": None},
            "project": {"in_anhui": True, "occurred_on": "2025-12-31"},
            "park": {"application_type": "evaluation", "approved_year": 2024, "evaluated_in_2025": False},
            "operator": {"prior_support": None}, "submitted_at": "2026-04-20T09:00:00+08:00"}
    data = post({"clause": 5, "facts": park}).json()
    assert data["status"] == "evaluation_only" and data["max_amount_wan"] == "0.00"
