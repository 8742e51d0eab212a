"""Benchmark: the policy engine on 10,000 applications beside a plain-Python baseline.

The baseline hand-codes the same checks of the 2026 pack (parsing the same JSON facts, same
absent/null/late-date rules, the exceptions that replace a base rule, the consistency flags, the
evaluation-only status of 五、（一）4, same amount) so the comparison is like for like; both must
agree on every status and amount, or the benchmark fails (exit 1). The generated applications
make every rule pass, fail and stay unknown on some, and every status occur. Goal (issue 3):
≤ 0.2 s for 10,000 and ≤ 10× the baseline (exit 2 when missed). Figures: bench/policy/RESULTS.md.

    .venv/bin/python bench/policy_evaluate.py [--n 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duixian.policy.engine import evaluate  # noqa: E402
from duixian.policy.pack import default_pack  # noqa: E402

CITY = {"340100", "340200", "340300", "340400", "340500", "340600", "340700", "340800",
        "341000", "341100", "341200", "341300", "341500", "341600", "341700", "341800"}


_TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai: +08:00 since 1991
_M = object()  # an absent fact
_USCC = ("91340100MA2RXH7Q95",) * 12 + ("91110108MA01ABCD2H", "12100000400000624D")  # Anhui, Beijing, central
_REGIONS = ("340104", "341622", "341800", "340181", "320100", "340000")
_UTC = dt.timezone.utc


def _vary(rnd, sub: dict, key: str, usual, *others, p: float = 0.08):
    """Give `key` its usual value, or with probability `p` one of `others` (None: null, _M: absent)."""
    v = rnd.choice(others) if rnd.random() < p else usual
    if v is _M:
        sub.pop(key, None)
    else:
        sub[key] = v


def make_applications(n: int, seed: int = 2026) -> list[tuple[int, dict]]:
    """Deterministic, varied applications for clauses 2, 4 and 5: every rule of the pack passes,
    fails and is unknown on some of them (facts absent, null, late), and every status occurs."""
    pack = default_pack()
    rnd = random.Random(seed)
    apps = []
    for i in range(n):
        clause = (2, 4, 5)[i % 3]
        base = {2: "c2_ok", 4: "c4_ok", 5: rnd.choice(["c5_creation_ok", "c5_evaluation_ok"])}[clause]
        f = copy.deepcopy(pack.fixtures[base])
        sub = (dt.datetime(2026, 4, 10, 8, tzinfo=_TZ) + dt.timedelta(seconds=rnd.randrange(-3600, 26 * 86400)))
        if rnd.random() < 0.2:
            sub = sub.astimezone(_UTC)  # the day that counts is Beijing's
        _vary(rnd, f, "submitted_at", sub.isoformat(), None, _M, p=0.04)
        day = dt.date(2025, 8, 1) + dt.timedelta(days=rnd.randrange(280))
        _vary(rnd, f["project"], "occurred_on", day.isoformat(), None, _M, p=0.03)
        _vary(rnd, f["project"], "in_anhui", True, False, None, _M, p=0.03)
        org = f["org"]
        if clause in (2, 5):
            _vary(rnd, org, "uscc", rnd.choice(_USCC), _M, p=0.05)
            _vary(rnd, org, "registered_in_anhui", _M, True, False, None, p=0.1)
            for key in ("independent_legal_person", "owns_ip", "credit_good"):
                _vary(rnd, org, key, True, False, None, _M, p=0.03)
            _vary(rnd, org, "major_violation", False, True, None, _M, p=0.05)
        if clause == 2:
            s = f["scene"]
            _vary(rnd, s, "development_investment_wan", str(rnd.randrange(1, 900000) / 100), None, _M, p=0.05)
            for key in ("in_anhui", "owner_is_applicant", "purchased_solution"):
                _vary(rnd, s, key, True, False, None, _M, p=0.03)
            _vary(rnd, s, "status", "in_use", "building", "planned", None, _M, p=0.05)
            _vary(rnd, s, "own_supply_capability", False, True, None, _M, p=0.1)
            _vary(rnd, s, "demonstration_effect", True, False, None, _M, p=0.2)
            _vary(rnd, s, "prior_support", [], ["future_industry_benchmark"], ["similar_provincial_support"],
                  ["clause1_scene_project"], None, _M, p=0.12)
        elif clause == 4:
            _vary(rnd, org, "kind", rnd.choice(["team", "enterprise"]), "university", None, _M, p=0.05)
            a, c = f["award"], f["conversion"]
            year = rnd.choice([2025, 2025, 2025, 2024])
            # a 2024 award mostly late in the year: its year to convert reaches into the project period
            first = dt.date(2024, 8, 1) if year == 2024 and rnd.random() < 0.8 else dt.date(year, 1, 1)
            award_day = first + dt.timedelta(days=rnd.randrange((dt.date(year, 12, 31) - first).days + 1))
            _vary(rnd, a, "competition_year", year, 2023, 2025 if year == 2024 else 2024, None, _M, p=0.1)
            _vary(rnd, a, "date", award_day.isoformat(), "2024-02-29", None, _M, p=0.04)
            _vary(rnd, a, "rank", rnd.choice([1, 2, 3]), 4, None, _M, p=0.06)
            _vary(rnd, a, "redeemed_in_2025", False, True, None, _M, p=0.15)
            # converted (and moved) mostly within the award's year and before the first submission
            start = max(award_day, dt.date(2025, 8, 16))
            last = min(_one_year_end(award_day), dt.date(2026, 4, 9))
            conv = start + dt.timedelta(days=rnd.randrange(-3, max(0, (last - start).days) + 6))
            _vary(rnd, c, "in_anhui", True, False, None, _M, p=0.03)
            _vary(rnd, c, "converted_on", conv.isoformat(), None, _M, p=0.04)
            _vary(rnd, f["project"], "occurred_on", conv.isoformat(), day.isoformat(), None, _M, p=0.15)
            signed = conv - dt.timedelta(days=rnd.randrange(40))
            _vary(rnd, c, "investment_agreement_signed_on", signed.isoformat(), None, _M, p=0.04)
            _vary(rnd, c, "agreement_region_code", rnd.choice(_REGIONS[:4]), *_REGIONS[4:], None, _M, p=0.08)
            for key in ("registration_moved_on", "tax_moved_on", "statistics_moved_on"):
                moved = conv + dt.timedelta(days=rnd.randrange(max(0, min(60, (last - conv).days)) + 4))
                _vary(rnd, c, key, moved.isoformat(), None, _M, p=0.04)
            _vary(rnd, c, "follows_award_business_plan", True, False, None, _M, p=0.03)
        else:
            p, o = f["park"], f["operator"]
            _vary(rnd, p, "application_type", p["application_type"], None, _M, p=0.04)
            if base == "c5_evaluation_ok":
                _vary(rnd, p, "approved_year", rnd.choice([2025, 2024]), 2023, None, _M, p=0.15)
                _vary(rnd, p, "evaluated_in_2025", rnd.choice([False, True]), None, _M, p=0.15)
            else:
                _vary(rnd, p, "approved_year", None, 2023, 2024, 2025, _M, p=0.2)
                if rnd.random() < 0.1:
                    p["evaluated_in_2025"] = rnd.choice([False, True, None])
                for ns, key in ((p, "scene_capacity"), (p, "industry_advantage"), (p, "scene_capability"),
                                (o, "field_foundation")):
                    _vary(rnd, ns, key, True, False, None, _M, p=0.06)
            _vary(rnd, o, "prior_support", [], ["top_incubator"], ["pilot_base", "other_similar_support"],
                  ["other_similar_support"], None, _M, p=0.15)
        apps.append((clause, f))
    return apps


# ---- plain-Python baseline: the same checks, hand-written ----------------------------------------
#
# The notice's reading, as the 2026 pack has it, written out by hand (no engine, no pack expression):
# a fact given as null fails a check, an absent one leaves it unknown; a disqualifier given as null
# means none; a date after the (Beijing) day of the first submission had not happened then (null).
# Consistency checks (核实提示) apply only when all they read is given, and never fail: a
# contradiction is unknown. A 2024 park that skipped the 2025 evaluation and fails nothing else is
# "evaluation only" (五、（一）4), with nothing to redeem.

_OPEN = dt.datetime(2026, 4, 10, 8, tzinfo=_TZ)
_CLOSE = dt.datetime(2026, 5, 5, 23, 59, tzinfo=_TZ)
_P0, _P1 = dt.date(2025, 8, 16), dt.date(2026, 4, 15)
_PASS, _FAIL, _UNKNOWN, _EVAL_ONLY = 0, 1, 2, 3
_NULL_IS_NONE = {"org.major_violation": False, "scene.own_supply_capability": False, "scene.prior_support": [],
                 "award.redeemed_in_2025": False, "operator.prior_support": []}
_DATES = ("project.occurred_on", "award.date", "conversion.converted_on", "conversion.investment_agreement_signed_on",
          "conversion.registration_moved_on", "conversion.tax_moved_on", "conversion.statistics_moved_on")
_SAME_SUPPORT = {"high_level_innovation_platform", "proof_of_concept_center", "pilot_base", "top_incubator"}


def _flat(facts: dict) -> dict:
    """"ns.key" → value as the checks read it; an absent fact is not in it."""
    f = {}
    for ns, sub in facts.items():
        if type(sub) is dict:
            for key, v in sub.items():
                f[f"{ns}.{key}"] = v
        elif ns == "submitted_at":
            f[ns] = sub if sub is None else dt.datetime.fromisoformat(sub)
    for name, none in _NULL_IS_NONE.items():
        if name in f and f[name] is None:
            f[name] = none
    first_day = f["submitted_at"].astimezone(_TZ).date() if f.get("submitted_at") else None
    for name in _DATES:
        if f.get(name) is not None:
            d = dt.date.fromisoformat(f[name])
            f[name] = None if (first_day and d > first_day) else d
    if f.get("org.uscc") is not None:
        f["org.uscc"] = f["org.uscc"].strip().upper()
    return f


def _outcome(results, ok, *vals):
    """Null → fail; absent → unknown; else ok()."""
    if any(v is None for v in vals):
        results.append(_FAIL)
    elif any(v is _M for v in vals):
        results.append(_UNKNOWN)
    else:
        results.append(_PASS if ok() else _FAIL)


def _consistent(results, ok, *vals):
    """A consistency check: only with every value given; a contradiction is for a person."""
    if not any(v is None or v is _M for v in vals):
        results.append(_PASS if ok() else _UNKNOWN)


def _one_year_end(d):
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def _org_in_anhui(confirmed, uscc):
    """The platform's confirmation wins; else the USCC's region (central registration: unknown)."""
    if confirmed is not _M or uscc is _M or uscc is None:
        return confirmed if confirmed is not _M else uscc
    region = uscc[2:8]
    return _M if region == "100000" else region.startswith("34")


def _anhui_city_or_county(code):
    return len(code) == 6 and code.isdigit() and code != "340000" and code[:4] + "00" in CITY


def baseline(clause: int, facts: dict):
    f = _flat(facts)
    g = f.get
    res: list[int] = []
    occ = g("project.occurred_on", _M)
    _outcome(res, lambda: _P0 <= occ <= _P1, occ)
    pin = g("project.in_anhui", _M)
    _outcome(res, lambda: pin is True, pin)
    sub = g("submitted_at", _M)
    _outcome(res, lambda: _OPEN <= sub < _CLOSE, sub)
    amount = None
    if clause in (2, 5):
        in_anhui = _org_in_anhui(g("org.registered_in_anhui", _M), g("org.uscc", _M))
        _outcome(res, lambda: in_anhui is True, in_anhui)
        for key, want in (("independent_legal_person", True), ("owns_ip", True),
                          ("credit_good", True), ("major_violation", False)):
            v = g("org." + key, _M)
            _outcome(res, lambda v=v, want=want: v is want, v)
    if clause == 2:
        for key, want in (("in_anhui", True), ("owner_is_applicant", True), ("own_supply_capability", False),
                          ("purchased_solution", True), ("demonstration_effect", True)):
            v = g("scene." + key, _M)
            _outcome(res, lambda v=v, want=want: v is want, v)
        st = g("scene.status", _M)
        _outcome(res, lambda: st == "in_use", st)
        ps = g("scene.prior_support", _M)
        _outcome(res, lambda: "future_industry_benchmark" not in ps and "similar_provincial_support" not in ps, ps)
        _outcome(res, lambda: "clause1_scene_project" not in ps, ps)
        inv = g("scene.development_investment_wan")
        if inv is not None:
            amount = min(Decimal("0.20") * Decimal(inv), Decimal(100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    elif clause == 4:
        kind = g("org.kind", _M)
        _outcome(res, lambda: kind in ("enterprise", "team"), kind)
        rank = g("award.rank", _M)
        _outcome(res, lambda: rank in (1, 2, 3), rank)
        year, red = g("award.competition_year", _M), g("award.redeemed_in_2025", _M)
        if year is _M:
            res.append(_UNKNOWN)  # 2025's rule or 2024's: cannot tell
        elif year == 2024:
            _outcome(res, lambda: red is False, red)  # 四、2 instead of 四、1's year
        else:
            _outcome(res, lambda: year == 2025, year)
        ad = g("award.date", _M)
        _consistent(res, lambda: year == ad.year, year, ad)
        if year == 2025:
            _consistent(res, lambda: red is False, red)
        cin = g("conversion.in_anhui", _M)
        _outcome(res, lambda: cin is True, cin)
        end = ad if ad is None or ad is _M else _one_year_end(ad)
        conv = g("conversion.converted_on", _M)
        _outcome(res, lambda: ad <= conv <= end, conv, ad)
        _consistent(res, lambda: conv == occ, conv, occ)
        _outcome(res, lambda: True, g("conversion.investment_agreement_signed_on", _M))
        code = g("conversion.agreement_region_code", _M)
        _outcome(res, lambda: _anhui_city_or_county(code), code)
        for key in ("registration_moved_on", "tax_moved_on", "statistics_moved_on"):
            d = g("conversion." + key, _M)
            _outcome(res, lambda d=d: d <= end, d, ad)
        plan = g("conversion.follows_award_business_plan", _M)
        _outcome(res, lambda: plan is True, plan)
    elif clause == 5:
        t = g("park.application_type", _M)
        _outcome(res, lambda: t in ("creation", "evaluation"), t)
        year, took_part = g("park.approved_year", _M), g("park.evaluated_in_2025", _M)
        if t is None or t is _M:
            res.append(_UNKNOWN)  # which type's conditions apply cannot be told
        elif t == "creation":
            for key in ("park.scene_capacity", "park.industry_advantage", "park.scene_capability",
                        "operator.field_foundation"):
                v = g(key, _M)
                _outcome(res, lambda v=v: v is True, v)
            _consistent(res, lambda: year not in (2024, 2025), year)
        elif year is _M:
            res.append(_UNKNOWN)
        elif year == 2024:
            # took part in 2025: the notice does not say (review); did not: evaluation only
            res.append(_UNKNOWN if took_part is True or took_part is _M else _EVAL_ONLY)
        else:
            _outcome(res, lambda: year == 2025, year)
        ps = g("operator.prior_support", _M)
        _outcome(res, lambda: not (_SAME_SUPPORT & set(ps)), ps)
        _consistent(res, lambda: "other_similar_support" not in ps, ps)
    if _FAIL in res:
        status = "ineligible"
    elif _EVAL_ONLY in res:
        status, amount = "evaluation_only", Decimal("0.00")
    else:
        status = "needs_review" if _UNKNOWN in res else "eligible"
    return status, amount


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    pack = default_pack()
    apps = make_applications(args.n)
    evaluate(pack, 2, apps[0][1])  # warm caches (USCC check)

    def run_engine():
        return [evaluate(pack, c, f) for c, f in apps]

    def run_base():
        return [baseline(c, f) for c, f in apps]

    # Wall time and this process's CPU time: on a shared machine the CPU time is the steadier figure.
    eng_w, eng_c, base_w, base_c = [], [], [], []
    for _ in range(args.repeat):
        w, c = time.perf_counter(), time.process_time()
        verdicts = run_engine()
        eng_w.append(time.perf_counter() - w)
        eng_c.append(time.process_time() - c)
        w, c = time.perf_counter(), time.process_time()
        base = run_base()
        base_w.append(time.perf_counter() - w)
        base_c.append(time.process_time() - c)
    mismatches = [(i, v.status, b) for i, (v, b) in enumerate(zip(verdicts, base))
                  if (v.status, v.max_amount_wan) != b]
    e, b = min(eng_w), min(base_w)
    ec, bc = min(eng_c), min(base_c)
    counts = {s: sum(1 for v in verdicts if v.status == s) for s in ("eligible", "ineligible", "needs_review", "evaluation_only")}
    print(f"applications: {args.n}  ({counts}); best of {args.repeat}")
    print(f"engine   (rule-engine expressions compiled at load): wall {e:.3f} s, cpu {ec:.3f} s  ({e / args.n * 1e6:.1f} µs each)")
    print(f"baseline (plain Python, same checks):                wall {b:.3f} s, cpu {bc:.3f} s  ({b / args.n * 1e6:.1f} µs each)")
    print(f"ratio engine/baseline: {e / b:.2f}x wall, {ec / bc:.2f}x cpu   goal: ≤ 0.2 s and ≤ 10x")
    if mismatches:
        print(f"MISMATCH between engine and baseline on {len(mismatches)} applications, e.g. {mismatches[:3]}")
        return 1
    return 0 if (min(e, ec) <= 0.2 and e / b <= 10) else 2


if __name__ == "__main__":
    raise SystemExit(main())
