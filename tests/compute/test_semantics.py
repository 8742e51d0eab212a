"""CONTRACTS §3 semantics on a hand-computed case, and every boundary on its own."""

from __future__ import annotations

from datetime import date

import pytest

from duixian.compute.engine import BUCKETS, Period, format_decimal, pack_parameters

from .util import (
    A, B, C1, C2, CENTRAL, N, P, PERIOD, Q, U, X, Z, by_uscc, job, org, run, write_csv,
    write_parquet_strings, write_parquet_typed,
)

ORGS = [
    org(A, name="合肥甲智能科技有限公司"),
    org(B, name="合肥乙算力有限公司"),
    org(C1, group="hf-group"),
    org(C2, group="hf-group"),
    org(U, "university", agi=None),
    org(X),
    org(P, "park_operator", agi=None),
    org(N, agi=False),
    org(Q, "research_institute", agi=None),
]

# Numbers in the comments are the expected effect; totals are checked below.
ROWS = [
    job("j01", A, B, "10"),  # A used 10, B provided 10
    job("j02", A, B, "3", purpose="business"),  # A business 3; B provided 3 (any purpose)
    job("j03", A, B, "2", via="false"),  # A not_via_platform 2; B nothing
    job("j04", A, B, "4", inprov="false"),  # A outside_province 4; B provided 4
    job("j05", A, A, "5"),  # A self 5 (自建自用)
    job("j06", C1, C2, "7"),  # C1 self_or_affiliate 7; C2 nothing
    job("j07", A, B, "1", start="2025-08-15T23:59:59+08:00"),  # last second before: outside
    job("j08", A, B, "1.5", start="2025-08-15T16:00:00Z"),  # first instant, in UTC: used
    job("j09", A, B, "0.25", start="2026-04-15T15:59:59Z"),  # last second, in UTC: used
    job("j10", A, B, "0.125", start="2026-04-15T16:00:00Z"),  # end instant: outside
    # precedence: every condition at once → outside_period; then drop them one by one
    job("j11", A, A, "100", purpose="business", via="false", inprov="false",
        start="2025-01-01T00:00:00+08:00"),
    job("j12", A, A, "20", purpose="business", via="false", inprov="false"),  # not_via
    job("j13", A, A, "30", purpose="business", inprov="false"),  # outside_province
    job("j14", A, A, "40", purpose="business"),  # self_or_affiliate
    job("j15", U, C1, "8"),  # U used 8; C1 provided 8
    job("j16", B, A, "6"),  # B used 6; A provided 6
    job("j17", Z, B, "2"),  # unknown Z used 2; B provided 2
    job("j18", X, B, "9"),  # X used 9 (not in Anhui); B provided 9
    job("j19", P, B, "1"),  # P used 1 (park operator); B provided 1
    job("j20", N, B, "1"),  # N used 1 (not AGI); B provided 1
    job("j21", C2, U, "8"),  # C2 used 8; U provided 8 → U net 0
    # other offsets: 2025-08-16T01:00+09:00 is the first instant; …-04:00 the last second before
    job("j22", U, B, "0.5", start="2025-08-16T01:00:00+09:00"),  # U used 0.5; B provided 0.5
    job("j23", U, B, "0.75", start="2025-08-15T11:59:59-04:00"),  # U outside_period 0.75
]


def zero_excluded(**given):
    return {b: given.get(b, "0") for b in BUCKETS}


EXPECTED = {
    A: dict(used="11.75", provided="6", net="5.75", subsidy_quantity="5.75", eligible=True,
            excluded=zero_excluded(outside_period="101.125", not_via_platform="22",
                                   outside_province="34", self_or_affiliate="45", business="3")),
    B: dict(used="6", provided="32.25", net="-26.25", subsidy_quantity="0", eligible=True,
            excluded=zero_excluded()),
    C1: dict(used="0", provided="8", net="-8", subsidy_quantity="0", eligible=True,
             excluded=zero_excluded(self_or_affiliate="7")),
    C2: dict(used="8", provided="0", net="8", subsidy_quantity="8", eligible=True,
             excluded=zero_excluded()),
    U: dict(used="8.5", provided="8", net="0.5", subsidy_quantity="0.5", eligible=True,
            excluded=zero_excluded(outside_period="0.75")),
    X: dict(used="9", provided="0", net="9", subsidy_quantity="0", eligible=False,
            excluded=zero_excluded()),
    P: dict(used="1", provided="0", net="1", subsidy_quantity="0", eligible=False,
            excluded=zero_excluded()),
    N: dict(used="1", provided="0", net="1", subsidy_quantity="0", eligible=False,
            excluded=zero_excluded()),
    Z: dict(used="2", provided="0", net="2", subsidy_quantity="0", eligible=False,
            excluded=zero_excluded()),
    Q: dict(used="0", provided="0", net="0", subsidy_quantity="0", eligible=True,
            excluded=zero_excluded()),
}


@pytest.fixture(params=["csv", "parquet-strings", "parquet-typed"])
def metering(request, tmp_path):
    def make(rows):
        if request.param == "csv":
            return write_csv(tmp_path / "m.csv", rows)
        if request.param == "parquet-strings":
            return write_parquet_strings(tmp_path / "m.parquet", rows)
        return write_parquet_typed(tmp_path / "m.parquet", rows)
    return make


def test_hand_computed_case(metering):
    outcome = run(metering(ROWS), ORGS)
    got = by_uscc(outcome)
    assert list(got) == sorted(EXPECTED), "every user, provider and listed organisation, by uscc"
    for uscc, expected in EXPECTED.items():
        actual = {k: got[uscc][k] for k in expected}
        assert actual == expected, uscc
    assert outcome.stats.rows == len(ROWS)


def test_reasons_and_names(tmp_path):
    got = by_uscc(run(write_csv(tmp_path / "m.csv", ROWS), ORGS))
    assert got[A]["reasons"] == [] and got[A]["name"] == "合肥甲智能科技有限公司"
    assert got[Z]["name"] is None
    assert any("不在组织名单中" in r for r in got[Z]["reasons"])
    assert any("安徽省" in r for r in got[X]["reasons"])
    assert any("园区运营单位" in r for r in got[P]["reasons"])
    assert any("通用人工智能企业" in r for r in got[N]["reasons"])
    # eligible, but nothing to pay: the reason says why (三（一）4)
    assert got[U]["eligible"] and got[U]["subsidy_quantity"] == "0.5"
    assert got[B]["eligible"] and got[B]["reasons"] and "不大于0" in got[B]["reasons"][0]


def test_equal_used_and_provided_gives_zero(tmp_path):
    rows = [job("1", A, B, "5"), job("2", B, A, "5.000")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[A]["net"] == "0" and got[A]["subsidy_quantity"] == "0"
    assert got[B]["net"] == "0" and got[B]["subsidy_quantity"] == "0"
    # 三（一）4 "大于0时，才可计算补助": a net of exactly 0 is told why nothing is paid.
    assert any("不大于0" in r for r in got[A]["reasons"]), got[A]["reasons"]
    assert any("不大于0" in r for r in got[B]["reasons"]), got[B]["reasons"]


@pytest.mark.parametrize("start, inside", [
    ("2025-08-16T00:00:00+08:00", True),
    ("2025-08-15T16:00:00Z", True),
    ("2025-08-15T16:00:00+00:00", True),
    ("2025-08-16T01:00:00+09:00", True),
    ("2025-08-15T23:59:59+08:00", False),
    ("2025-08-15T15:59:59.999999Z", False),
    ("2026-04-15T23:59:59+08:00", True),
    ("2026-04-15T15:59:59Z", True),
    ("2026-04-15T12:59:59-03:00", True),
    ("2026-04-16T00:00:00+08:00", False),
    ("2026-04-15T16:00:00Z", False),
    ("2026-04-15 16:00:00+0000", False),
])
def test_period_boundaries(tmp_path, start, inside):
    got = by_uscc(run(write_csv(tmp_path / "m.csv", [job("1", A, B, "1", start=start)]),
                      [org(A), org(B)]))
    assert got[A]["used"] == ("1" if inside else "0")
    assert got[A]["excluded"]["outside_period"] == ("0" if inside else "1")
    assert got[B]["provided"] == ("1" if inside else "0")


@pytest.mark.parametrize("changes, bucket", [
    ({"start": "2024-01-01T00:00:00+08:00", "via": "false", "inprov": "false",
      "purpose": "business", "provider": A}, "outside_period"),
    ({"via": "false", "inprov": "false", "purpose": "business", "provider": A}, "not_via_platform"),
    ({"inprov": "false", "purpose": "business", "provider": A}, "outside_province"),
    ({"purpose": "business", "provider": A}, "self_or_affiliate"),
    ({"purpose": "business", "provider": C1}, "self_or_affiliate"),  # affiliate via group
    ({"purpose": "business"}, "business"),
])
def test_each_bucket_precedence(tmp_path, changes, bucket):
    changes = dict(changes)  # the parameter is shared by every run of the test: never mutate it
    provider = changes.pop("provider", B)
    rows = [job("1", C2 if provider == C1 else A, provider, "7", **changes)]
    orgs = [org(A), org(B), org(C1, group="g"), org(C2, group="g")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), orgs))
    user = rows[0]["user_uscc"]
    assert got[user]["excluded"] == zero_excluded(**{bucket: "7"})
    assert got[user]["used"] == "0"


def test_affiliates_and_self_use_count_on_neither_side(tmp_path):
    rows = [job("1", C1, C2, "3"), job("2", C2, C1, "4", purpose="business"), job("3", A, A, "5")]
    orgs = [org(A), org(C1, group="g"), org(C2, group="g")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), orgs))
    for uscc in (A, C1, C2):
        assert got[uscc]["used"] == "0" and got[uscc]["provided"] == "0"
    assert got[C1]["excluded"]["self_or_affiliate"] == "3"
    assert got[C2]["excluded"]["self_or_affiliate"] == "4"


def test_unknown_organisations_have_their_own_group(tmp_path):
    # Two unknown codes are not affiliates of each other: the job counts on both sides.
    rows = [job("1", Z, X, "2")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), []))
    assert got[Z]["used"] == "2" and got[X]["provided"] == "2"
    assert not got[Z]["eligible"] and not got[X]["eligible"]


def test_group_id_namespace_does_not_collide_with_codes(tmp_path):
    # A group called like another organisation's code does not make them affiliates.
    rows = [job("1", A, B, "2")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A, group=B), org(B)]))
    assert got[A]["used"] == "2"


def test_out_of_province_compute_still_counts_as_provided(tmp_path):
    # CONTRACTS §3: provided = other groups' via-platform jobs in the period, whatever purpose;
    # in_province only limits the user's side (三（一）2 使用省内智能算力).
    rows = [job("1", A, B, "4", inprov="false")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[A]["excluded"]["outside_province"] == "4" and got[A]["used"] == "0"
    assert got[B]["provided"] == "4"


def test_not_via_platform_counts_on_neither_side(tmp_path):
    rows = [job("1", A, B, "4", via="false")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[B]["provided"] == "0"


@pytest.mark.parametrize("kwargs, eligible, fragment", [
    ({"kind": "university", "agi": None}, True, None),
    ({"kind": "research_institute", "agi": None}, True, None),
    ({"kind": "enterprise", "agi": True}, True, None),
    ({"kind": "enterprise", "agi": False}, False, "不是通用人工智能企业"),
    ({"kind": "enterprise", "agi": None}, False, "未确认为通用人工智能企业"),
    ({"kind": "team", "agi": True}, False, "参赛团队"),
    ({"kind": "university", "independent": False}, False, "不具有独立法人资格"),
    ({"kind": "university", "independent": None}, False, "未确认具有独立法人资格"),
])
def test_eligibility(tmp_path, kwargs, eligible, fragment):
    kind = kwargs.pop("kind")
    rows = [job("1", U, B, "3")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(U, kind, **kwargs), org(B)]))
    assert got[U]["eligible"] is eligible
    assert got[U]["subsidy_quantity"] == ("3" if eligible else "0")
    if fragment:
        assert any(fragment in r for r in got[U]["reasons"])


def test_registration_in_anhui(tmp_path):
    rows = [job("1", CENTRAL, B, "3"), job("2", X, B, "1")]
    orgs = [org(CENTRAL, "university"), org(B), org(X, in_anhui=True)]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), orgs))
    assert not got[CENTRAL]["eligible"]
    assert any("中央登记" in r for r in got[CENTRAL]["reasons"])
    # a confirmed registration overrides what the code says
    assert got[X]["eligible"]
    confirmed = [org(CENTRAL, "university", in_anhui=True), org(B)]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows[:1]), confirmed))
    assert got[CENTRAL]["eligible"] and got[CENTRAL]["subsidy_quantity"] == "3"


def test_invalid_code_is_not_eligible(tmp_path):
    bad = "91340100MA2RXH7Q96"  # wrong check character
    got = by_uscc(run(write_csv(tmp_path / "m.csv", [job("1", bad, B, "3")]), [org(bad), org(B)]))
    assert not got[bad]["eligible"]
    assert any("统一社会信用代码无效" in r for r in got[bad]["reasons"])


def test_codes_are_upper_cased_and_trimmed(tmp_path):
    rows = [job("1", " " + A.lower() + " ", B, "3")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[A]["used"] == "3"


def test_decimals_are_exact(tmp_path):
    rows = [job(str(i), A, B, "0.1") for i in range(30)] + [job("x", A, B, "0.000001")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)]))
    assert got[A]["used"] == "3.000001"
    big = [job("1", A, B, "12345678901234567890.123456"), job("2", A, B, "1")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", big), [org(A), org(B)]))
    assert got[A]["used"] == "12345678901234567891.123456"


def test_empty_file_lists_the_organisations(tmp_path):
    got = by_uscc(run(write_csv(tmp_path / "m.csv", []), [org(A)]))
    assert list(got) == [A] and got[A]["used"] == "0"


def test_units_with_factor(tmp_path):
    rows = [job("1", A, B, "2", unit="card_hour"), job("2", A, B, "3", unit="card_minute")]
    units = [{"id": "card_hour", "base": True}, {"id": "card_minute", "factor": "0.5"}]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(A), org(B)], units=units))
    assert got[A]["used"] == "3.5"


def test_pack_parameters():
    from duixian.policy.pack import default_pack

    period, units = pack_parameters(default_pack())
    assert period == PERIOD
    assert "card_hour" in units
    assert period.start.isoformat() == "2025-08-16T00:00:00+08:00"
    assert period.end.isoformat() == "2026-04-16T00:00:00+08:00"


def test_period_needs_aware_bounds():
    from datetime import datetime
    with pytest.raises(ValueError):
        Period(datetime(2025, 8, 16), datetime(2026, 4, 16))
    assert Period.from_dates(date(2025, 1, 1), date(2025, 1, 1), "UTC").end.day == 2


@pytest.mark.parametrize("text, expected", [
    ("0", "0"), ("0.000000", "0"), ("-0", "0"), ("100", "100"), ("1.500000", "1.5"),
    ("0.000001", "0.000001"), ("12345678901234567890", "12345678901234567890"),
])
def test_format_decimal(text, expected):
    from decimal import Decimal
    assert format_decimal(Decimal(text)) == expected


@pytest.mark.parametrize("kwargs, review", [
    ({"kind": "park_operator"}, True),  # only the kind stands in the way: the province decides
    ({"kind": "team"}, True),
    ({"kind": "park_operator", "independent": False}, False),  # refused for another reason too
    ({"kind": "university"}, False),
    ({"kind": "enterprise", "agi": False}, False),
])
def test_another_kind_of_unit_goes_to_the_province_not_away(tmp_path, kwargs, review):
    """三（二）"通用人工智能企业、高校院所等": the list is open, so another kind is not refused outright."""
    kind = kwargs.pop("kind")
    rows = [job("1", U, B, "3")]
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(U, kind, **kwargs), org(B)]))
    assert got[U]["needs_review"] is review
    assert got[B]["needs_review"] is False
    if review:
        assert got[U]["eligible"] is False and got[U]["subsidy_quantity"] == "0"
        assert any("其他类型单位，需省科技厅确认是否属于“等”所含范围" in r for r in got[U]["reasons"])


def test_another_kind_with_nothing_to_subsidise_is_not_sent_for_review(tmp_path):
    rows = [job("1", B, U, "3")]  # U only provided: net below zero
    got = by_uscc(run(write_csv(tmp_path / "m.csv", rows), [org(U, "park_operator"), org(B)]))
    assert got[U]["needs_review"] is False and got[U]["eligible"] is False
