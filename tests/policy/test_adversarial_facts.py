"""Facts an adversarial caller sends to `duixian evaluate` / POST /api/v1/evaluate (issue 17 review):
only what CONTRACTS §2 says is a value is accepted (dates YYYY-MM-DD, datetimes ISO 8601 with a real
offset, decimal strings), and what comes back is what a person reads."""

import copy
import json

import pytest

from duixian.policy.cli import run_evaluate
from duixian.policy.engine import evaluate
from duixian.policy.facts import FactsError
from duixian.policy.pack import default_pack

PACK = default_pack()


def _case(name):
    return copy.deepcopy(PACK.fixtures[name])


@pytest.mark.parametrize("value", ["2025-W48-1", "2025-335", "2025-12-1 ", " 2025-12-1", "2025/12/01"])
def test_a_date_is_only_yyyy_mm_dd(value):
    facts = _case("c2_ok")
    facts["project"]["occurred_on"] = value
    out = run_evaluate("2", json.dumps(facts))
    assert out.code == 2
    assert json.loads(out.stderr)["field"] == "project.occurred_on"


@pytest.mark.parametrize("value", [
    "2026-04-28T09:30:00+15:00",  # beyond ±14:00 (as the metering file, CONTRACTS §3)
    "2026-04-28T09:30:00-14:30",
    "2026-04-28T09:30:00+08:00:30",  # ISO 8601 offsets have no seconds
    "2026-W18-2T09:30:00+08:00",
])
def test_a_datetime_needs_a_real_offset_and_a_calendar_date(value):
    facts = _case("c2_ok")
    facts["submitted_at"] = value
    out = run_evaluate("2", json.dumps(facts))
    assert out.code == 2, out.stdout[:200]
    assert json.loads(out.stderr)["field"] == "submitted_at"


@pytest.mark.parametrize("value", ["2026-04-28T09:30:00+14:00", "2026-04-28T09:30:00-12:00",
                                   "2026-04-28T01:30:00Z", "2026-04-28 09:30:00+08:00",
                                   "2026-04-28T09:30:00.5+08:00"])
def test_real_offsets_are_accepted(value):
    facts = _case("c2_ok")
    facts["submitted_at"] = value
    assert run_evaluate("2", json.dumps(facts)).code == 0


@pytest.mark.parametrize("value", ["１２０", "1_000", "1e999999999"])
def test_an_amount_is_a_plain_decimal(value):
    facts = _case("c2_ok")
    facts["scene"]["development_investment_wan"] = value
    out = run_evaluate("2", json.dumps(facts))
    assert out.code == 2
    assert json.loads(out.stderr)["field"] == "scene.development_investment_wan"


def test_minus_zero_is_zero():
    facts = _case("c2_ok")
    facts["scene"]["development_investment_wan"] = "-0"
    assert evaluate(PACK, 2, facts).to_json()["max_amount_wan"] == "0.00"


def test_what_is_missing_is_named_once():
    facts = _case("c4_ok")
    del facts["award"]["date"]
    message = evaluate(PACK, 4, facts).rule("c4.converted_within_year").message
    assert message.count("获奖日期") == 1, message


@pytest.mark.django_db
@pytest.mark.parametrize("facts, field", [
    ({"submitted_at": "2026-04-28T09:30:00+15:00"}, "submitted_at"),
    ({"project": {"occurred_on": "2025-W48-1"}}, "project.occurred_on"),
    ({"scene": {"development_investment_wan": "1_000"}}, "scene.development_investment_wan"),
])
def test_the_api_refuses_the_same_values_with_422(facts, field):
    from ninja.testing import TestClient

    from duixian.policy.api import router

    r = TestClient(router).post("/evaluate", data=json.dumps({"clause": 2, "facts": facts}),
                                content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == field


DEEP = '{"org": ' + "[" * 100_000 + "]" * 100_000 + "}"


def test_deeply_nested_json_is_refused_with_exit_2_not_a_traceback():
    out = run_evaluate("2", DEEP)
    assert out.code == 2
    assert "JSON" in json.loads(out.stderr)["error"]


@pytest.mark.django_db
def test_the_api_refuses_deeply_nested_json_with_422():
    from ninja.testing import TestClient

    from duixian.policy.api import router

    r = TestClient(router).post("/evaluate", data=DEEP, content_type="application/json")
    assert r.status_code == 422 and "JSON" in r.json()["error"]


@pytest.mark.parametrize("facts, field", [
    ({"award": {"date": "9999-12-31"}}, "award.date"),  # its anniversary would be in year 10000
    ({"award": {"date": "0001-01-01"}}, "award.date"),
    ({"submitted_at": "9999-12-31T23:59:59-14:00"}, "submitted_at"),  # the Beijing day is in year 10000
    ({"submitted_at": "0001-01-01T00:00:00+14:00"}, "submitted_at"),
])
def test_dates_out_of_any_plausible_range_are_refused_naming_the_field(facts, field):
    out = run_evaluate("4", json.dumps(facts))
    assert out.code == 2, out.stderr[-300:]
    assert json.loads(out.stderr)["field"] == field


def test_the_edges_of_the_range_are_accepted():
    assert run_evaluate("4", json.dumps({"award": {"date": "2100-12-31"}})).code == 0
    assert run_evaluate("4", json.dumps({"award": {"date": "1900-01-01"},
                                         "submitted_at": "1900-01-01T00:00:00+08:00"})).code == 0
