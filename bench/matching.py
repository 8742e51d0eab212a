"""Benchmark: 政策找企业 for 1,000 organisations × every clause of the open batch, the platform's
matching beside a plain-Python loop over the same rules, in the same run (issue 19).

    .venv/bin/python bench/matching.py [--n 1000] [--repeat 3]

Builds a throwaway SQLite test database (Django's test database: migrations, nothing of
var/duixian.sqlite3 is touched) with `n` varied organisations (every kind; each profile fact
true, false or never stated; inside and outside Anhui, confirmed or not; park operators with
and without prior support), then times, best of `repeat`:

* platform: `duixian.matching.match.match(org, open_batches(moment))` for each organisation —
  what the dashboard does: the 一企一档 facts (one query for facts given in earlier
  applications), the registry overlay, the engine's verdict and the standing of every clause;
* of which engine: `engine.evaluate` and the standing on the same facts gathered beforehand,
  without queries — how much of the platform's time is the engine's;
* baseline: a hand-written loop over the same rules of the 2026 pack that read a profile
  (submitted in the window, in Anhui, legal person, IP, credit, no major violation, 第四条's
  enterprise-or-team, 第五条's no duplicate support), reading the same model fields.

Both must give the same standing (可能符合 / 需补充信息 / 不符合) for every organisation and
clause, or the run fails (exit 1). Figures: bench/matching/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duixian.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from duixian.core.clock import SHANGHAI  # noqa: E402

KINDS = ["enterprise"] * 12 + ["university"] * 2 + ["research_institute"] * 2 + ["park_operator"] * 3 + ["team"]
PRIOR = ["high_level_innovation_platform", "proof_of_concept_center", "pilot_base", "top_incubator"]
DUPLICATE = frozenset(PRIOR)


def tri(rnd, usual, p=0.1):
    """The usual answer, else (with probability p) its opposite or never stated."""
    if rnd.random() >= p:
        return usual
    return rnd.choice([not usual, None])


def make_organisations(n: int, seed: int = 2026):
    from duixian.orgs.models import Organisation, OrgStatus
    from duixian.codes.uscc import make_uscc

    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        kind = rnd.choice(KINDS)
        region = rnd.choice(["340100", "340200", "341800", "110108"])
        uscc = None if kind == "team" else make_uscc(f"{'12' if kind in ('university', 'research_institute') else '91'}"
                                                       f"{region}{i:09d}")
        in_anhui = region.startswith("34") if rnd.random() > 0.1 else None
        rows.append(Organisation(
            uscc=uscc, name=f"基准单位{i:04d}", kind=kind, region_code=region, city_code=region if in_anhui else "340100",
            in_anhui=in_anhui, status=OrgStatus.CONFIRMED if rnd.random() > 0.2 else OrgStatus.PENDING,
            independent_legal_person=tri(rnd, True), owns_ip=tri(rnd, True, 0.2), credit_good=tri(rnd, True),
            major_violation=tri(rnd, False), agi_enterprise=tri(rnd, True) if kind == "enterprise" else None,
            prior_support=rnd.sample(PRIOR + ["future_industry_benchmark"], rnd.choice([0, 0, 0, 1])),
        ))
    Organisation.objects.bulk_create(rows)
    return list(Organisation.objects.order_by("pk"))


# ---- the baseline: the same rules, by hand -----------------------------------------------------

_P, _F, _U = "pass", "fail", "unknown"


def _is(value, expected):
    return _U if value is None else (_P if value == expected else _F)


def _registered(org):
    confirmed = org.status == "confirmed" and bool(org.city_code)
    if org.in_anhui is True:
        return True
    if org.in_anhui is False:
        return confirmed
    return True if confirmed else None


def _in_anhui(org):
    registered = _registered(org)
    if registered is not None:
        return registered
    if not org.uscc or org.uscc[2:8] == "100000":
        return None
    return org.uscc[2:8].startswith("34")


def _standing(outcomes):
    if _F in outcomes:
        return "not_eligible"
    return "needs_info" if _U in outcomes else "possible"


def baseline(org, moment, window):
    in_window = _P if window[0] <= moment < window[1] else _F
    common = [in_window, _is(_in_anhui(org), True), _is(org.independent_legal_person, True), _is(org.owns_ip, True),
              _is(org.credit_good, True), _is(org.major_violation, False)]
    if org.kind == "park_operator":
        duplicate = _F if DUPLICATE & set(org.prior_support) else _P
    else:
        duplicate = _U  # only a park operator states a park's prior support
    return {
        "2": _standing(common),
        "4": _standing([in_window, _P if org.kind in ("enterprise", "team") else _F]),
        "5": _standing(common + [duplicate]),
    }


# ---- the run ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import datetime as dt

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from duixian.matching.match import NOT_OPEN, match
        from duixian.policy.active import open_batches

        moment = dt.datetime(2026, 4, 20, 10, 0, tzinfo=SHANGHAI)
        packs = open_batches(moment)
        window = (packs[0].application_open, packs[0].application_close)
        orgs = make_organisations(args.n)
        clauses = [c.number for p in packs for c in p.clauses if c.takes_applications]

        def platform():
            return {org.pk: {c.clause: c.standing for c in match(org, packs, moment=moment).clauses
                             if c.standing != NOT_OPEN} for org in orgs}

        def plain():
            return {org.pk: baseline(org, moment, window) for org in orgs}

        from duixian.matching.match import facts_for, judge
        from duixian.matching.profile import profile_facts
        from duixian.policy.engine import evaluate

        prepared = [facts_for(packs[0], profile_facts(org, earlier={}), moment) for org in orgs]

        def engine_only():
            """The engine and the standing alone, on facts gathered beforehand (no query)."""
            return {org.pk: {str(n): judge(packs[0], str(n), evaluate(packs[0], n, facts)).standing for n in clauses}
                    for org, facts in zip(orgs, prepared)}

        results, timings = {}, {}
        for name, fn in (("platform", platform), ("engine", engine_only), ("baseline", plain)):
            best = None
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                results[name] = fn()
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                best = (wall, cpu) if best is None or wall < best[0] else best
            timings[name] = best
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        counts: dict = {}
        for standings in results["platform"].values():
            for standing in standings.values():
                counts[standing] = counts.get(standing, 0) + 1
        pairs = args.n * len(clauses)
        print(f"organisations: {args.n} × open clauses {clauses} = {pairs} judgements {counts}; best of {args.repeat}")
        for name, label in (("platform", "platform (match(): profile, registry overlay, engine) "),
                            ("engine", "of which engine + standing (facts gathered before) "),
                            ("baseline", "baseline (plain Python, same rules)                ")):
            wall, cpu = timings[name]
            print(f"{label}: wall {wall:.3f} s, cpu {cpu:.3f} s  ({wall / pairs * 1e6:.1f} µs per judgement)")
        print(f"ratio platform/baseline: {timings['platform'][0] / timings['baseline'][0]:.0f}x wall, "
              f"{timings['platform'][1] / max(timings['baseline'][1], 1e-9):.0f}x cpu")
        if results["engine"] != results["platform"]:
            print("the engine alone disagrees with the platform (registry rows in the database?)")
            return 1
        if results["platform"] != results["baseline"]:
            wrong = [(pk, results["platform"][pk], results["baseline"][pk]) for pk in results["platform"]
                     if results["platform"][pk] != results["baseline"][pk]]
            print(f"DISAGREE on {len(wrong)} organisations, e.g. {wrong[:3]}")
            return 1
        print("both agree on every standing")
        return 0
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
