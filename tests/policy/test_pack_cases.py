"""The pack's own test cases (OpenFisca style), one pytest test each, for both packs."""

from pathlib import Path

import pytest

from duixian.policy.pack import default_pack, load_pack
from duixian.policy.packtest import rule_coverage, run_case, run_cases

PACK = default_pack()
SECOND = Path(__file__).parent / "packs" / "made-up-2027.yaml"


@pytest.mark.parametrize("index", range(len(PACK.tests)), ids=lambda i: f"{i + 1}-{PACK.tests[i]['name']}")
def test_2026_case(index):
    result = run_case(PACK, PACK.tests[index], index)
    assert result.ok, result.problems


def test_at_least_40_cases_and_every_rule_both_ways():
    assert len(PACK.tests) >= 40
    coverage = rule_coverage(PACK, run_cases(PACK))
    for rule in PACK.rules:
        outcomes = coverage[rule.id]
        if rule.expr is None:  # a review rule only a person can decide
            assert outcomes == {"unknown"}, rule.id
        elif rule.flag:  # a consistency check: a contradiction is shown for a person, never a failure
            assert outcomes == {"pass", "unknown"}, f"{rule.id}: {outcomes}"
        else:
            assert "fail" in outcomes, f"no case makes {rule.id} fail"
            assert "pass" in outcomes, f"no case makes {rule.id} pass"


def test_every_window_boundary_is_tested_to_the_second():
    stamps = {str((c.get("set") or {}).get("submitted_at")) for c in PACK.tests}
    for instant in ("2026-04-10T07:59:59+08:00", "2026-04-10T08:00:00+08:00",
                    "2026-05-05T23:58:59+08:00", "2026-05-05T23:59:00+08:00"):
        assert instant in stamps
    days = {str(((c.get("set") or {}).get("project") or {}).get("occurred_on")) for c in PACK.tests}
    assert {"2025-08-15", "2025-08-16", "2026-04-15", "2026-04-16"} <= days


def test_second_pack_cases_pass():
    pack = load_pack(SECOND)
    results = run_cases(pack)
    assert results and all(r.ok for r in results), [(r.name, r.problems) for r in results if not r.ok]
