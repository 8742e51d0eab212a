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
