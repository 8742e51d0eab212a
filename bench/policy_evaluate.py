"""Benchmark: the policy engine on 10,000 applications beside a plain-Python baseline.

The baseline hand-codes the same checks of the 2026 pack (parsing the same JSON facts, same
absent/null rules, same amount) so the comparison is like for like; both must agree on every
status and amount, or the benchmark fails. Goal (issue 3): ≤ 0.2 s for 10,000 and ≤ 10× the
baseline.

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


def make_applications(n: int, seed: int = 2026) -> list[tuple[int, dict]]:
    """Deterministic, varied applications for clauses 2, 4 and 5 (some fail, some are unknown)."""
    pack = default_pack()
    rnd = random.Random(seed)
    apps = []
    for i in range(n):
        clause = (2, 4, 5)[i % 3]
        base = {2: "c2_ok", 4: "c4_ok", 5: rnd.choice(["c5_creation_ok", "c5_evaluation_ok"])}[clause]
        f = copy.deepcopy(pack.fixtures[base])
        r = rnd.random()
        day = dt.date(2025, 8, 1) + dt.timedelta(days=rnd.randrange(280))
        f["project"]["occurred_on"] = day.isoformat()
        sec = rnd.randrange(-3600, 26 * 86400)
        f["submitted_at"] = (dt.datetime(2026, 4, 10, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
                             + dt.timedelta(seconds=sec)).isoformat()
        if clause == 2:
            f["scene"]["development_investment_wan"] = str(rnd.randrange(1, 900000) / 100)
            if r < 0.1:
                f["scene"]["own_supply_capability"] = True
            elif r < 0.2:
                del f["scene"]["demonstration_effect"]
            elif r < 0.25:
                f["scene"]["prior_support"] = ["future_industry_benchmark"]
        elif clause == 4:
            f["award"]["rank"] = rnd.choice([1, 2, 3, 3, 4])
            f["conversion"]["agreement_region_code"] = rnd.choice(["340104", "341622", "320100", "340000"])
            if r < 0.2:
                f["award"]["competition_year"] = 2024
                f["award"]["redeemed_in_2025"] = rnd.random() < 0.5
            elif r < 0.3:
                f["conversion"]["tax_moved_on"] = None
        else:
            if f["park"]["application_type"] == "evaluation":
                f["park"]["approved_year"] = rnd.choice([2024, 2025, 2025, None])
                f["park"]["evaluated_in_2025"] = rnd.random() < 0.5
            elif r < 0.3:
                del f["park"]["scene_capacity"]
        apps.append((clause, f))
    return apps


# ---- plain-Python baseline: the same checks, hand-written ----------------------------------------

_OPEN = dt.datetime(2026, 4, 10, 8, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_CLOSE = dt.datetime(2026, 5, 5, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_P0, _P1 = dt.date(2025, 8, 16), dt.date(2026, 4, 15)
_M = object()


def _get(d, ns, key):
    sub = d.get(ns)
    if sub is None:
        return _M
    return sub.get(key, _M)


def _date(v):
    return v if v is None or v is _M else dt.date.fromisoformat(v)


def _outcome(results, ok, *vals):
    """Null → fail; absent → unknown; else ok()."""
    if any(v is None for v in vals):
        results.append(1)
    elif any(v is _M for v in vals):
        results.append(2)
    else:
        results.append(0 if ok() else 1)


def _one_year_end(d):
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


def baseline(clause: int, f: dict):
    res: list[int] = []
    occ = _date(_get(f, "project", "occurred_on"))
    _outcome(res, lambda: _P0 <= occ <= _P1, occ)
    pin = _get(f, "project", "in_anhui")
    _outcome(res, lambda: pin is True, pin)
    sub = f.get("submitted_at", _M)
    if isinstance(sub, str):
        sub = dt.datetime.fromisoformat(sub)
    _outcome(res, lambda: _OPEN <= sub < _CLOSE, sub)
    org = f.get("org") or {}
    amount = None
    if clause in (2, 5):
        uscc = org.get("uscc", _M)
        ria = org.get("registered_in_anhui", _M)
        in_anhui = ria if ria is not _M else (
            _M if uscc is _M else None if uscc is None else
            True if uscc[2:4] == "34" else _M if uscc[2:8] == "100000" else False)
        for key, want in (("independent_legal_person", True), ("owns_ip", True),
                          ("credit_good", True), ("major_violation", False)):
            v = org.get(key, _M)
            _outcome(res, lambda v=v, want=want: v is want, v)
        _outcome(res, lambda: in_anhui is True, in_anhui)
    if clause == 2:
        s = f.get("scene") or {}
        for key, want in (("in_anhui", True), ("owner_is_applicant", True), ("own_supply_capability", False),
                          ("purchased_solution", True), ("demonstration_effect", True)):
            v = s.get(key, _M)
            _outcome(res, lambda v=v, want=want: v is want, v)
        st = s.get("status", _M)
        _outcome(res, lambda: st == "in_use", st)
        ps = s.get("prior_support", _M)
        _outcome(res, lambda: "future_industry_benchmark" not in ps and "similar_provincial_support" not in ps, ps)
        _outcome(res, lambda: "clause1_scene_project" not in ps, ps)
        inv = s.get("development_investment_wan", _M)
        if inv is not None and inv is not _M:
            amount = min(Decimal("0.20") * Decimal(inv), Decimal(100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    elif clause == 4:
        a = f.get("award") or {}
        c = f.get("conversion") or {}
        kind = org.get("kind", _M)
        _outcome(res, lambda: kind in ("enterprise", "team"), kind)
        rank = a.get("rank", _M)
        _outcome(res, lambda: rank in (1, 2, 3), rank)
        year = a.get("competition_year", _M)
        if year == 2024:
            red = a.get("redeemed_in_2025", _M)
            _outcome(res, lambda: red is False, red)
        else:
            _outcome(res, lambda: year == 2025, year)
        cin = c.get("in_anhui", _M)
        _outcome(res, lambda: cin is True, cin)
        ad = _date(a.get("date", _M))
        end = ad if ad is None or ad is _M else _one_year_end(ad)
        for key in ("converted_on", "registration_moved_on", "tax_moved_on", "statistics_moved_on"):
            d = _date(c.get(key, _M))
            _outcome(res, lambda d=d: d <= end, d, end)
        signed = _date(c.get("investment_agreement_signed_on", _M))
        _outcome(res, lambda: True, signed)
        code = c.get("agreement_region_code", _M)
        _outcome(res, lambda: code[:4] + "00" in CITY and code != "340000", code)
        plan = c.get("follows_award_business_plan", _M)
        _outcome(res, lambda: plan is True, plan)
    elif clause == 5:
        p = f.get("park") or {}
        o = f.get("operator") or {}
        t = p.get("application_type", _M)
        ps = o.get("prior_support", _M)
        _outcome(res, lambda: not ({"high_level_innovation_platform", "proof_of_concept_center", "pilot_base",
                                     "top_incubator"} & set(ps)), ps)
        if t == "creation":
            for v in (p.get("scene_capacity", _M), p.get("industry_advantage", _M),
                      p.get("scene_capability", _M), o.get("field_foundation", _M)):
                _outcome(res, lambda v=v: v is True, v)
        elif t == "evaluation":
            y = p.get("approved_year", _M)
            if y == 2024:
                ev = p.get("evaluated_in_2025", _M)
                _outcome(res, lambda: ev is True, ev)
                if ev is True:
                    res.append(2)
            else:
                _outcome(res, lambda: y == 2025, y)
        else:
            res.append(2)
    status = "ineligible" if 1 in res else ("needs_review" if 2 in res else "eligible")
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
    counts = {s: sum(1 for v in verdicts if v.status == s) for s in ("eligible", "ineligible", "needs_review")}
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
