"""Random facts never crash the engine: a verdict or a FactsError naming a field, and missing → unknown."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from duixian.policy.engine import FactsError, evaluate
from duixian.policy.facts import FACTS
from duixian.policy.pack import default_pack

PACK = default_pack()


def _value(spec):
    good = {
        "bool": st.booleans(),
        "str": st.text(max_size=8),
        "enum": st.sampled_from(spec.choices or ("x",)),
        "date": st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat),
        "datetime": st.datetimes(dt.datetime(2026, 4, 1), dt.datetime(2026, 5, 31),
                                 timezones=st.just(dt.timezone(dt.timedelta(hours=8)))).map(dt.datetime.isoformat),
        "decimal": st.decimals(0, 10_000, places=2).map(str),
        "int": st.integers(2020, 2027) | st.integers(0, 5),
        "list": st.lists(st.sampled_from(spec.choices), max_size=3),
    }[spec.type]
    junk = st.none() | st.integers() | st.text(max_size=5) | st.booleans() | st.lists(st.integers(), max_size=2)
    return st.one_of(good, good, good, junk)


def _facts():
    names = sorted(n for n in FACTS if n != "org.uscc")
    return st.fixed_dictionaries({}, optional={n: _value(FACTS[n]) for n in names}).map(_nest)


def _nest(flat):
    out = {}
    for name, v in flat.items():
        if "." in name:
            ns, key = name.split(".", 1)
            out.setdefault(ns, {})[key] = v
        else:
            out[name] = v
    return out


@settings(max_examples=300, deadline=None)
@given(clause=st.sampled_from([2, 4, 5]), facts=_facts())
def test_random_facts_never_crash(clause, facts):
    try:
        v = evaluate(PACK, clause, facts)
    except FactsError as e:
        assert e.field and e.message
        return
    d = v.to_json()
    assert d["status"] in ("eligible", "ineligible", "needs_review")
    outcomes = {r["outcome"] for r in d["rules"]}
    if "fail" in outcomes:
        assert d["status"] == "ineligible"
    elif "unknown" in outcomes:
        assert d["status"] == "needs_review"
    # a rule whose facts are all absent is unknown, never pass or fail
    flat = v.facts
    for r in v.rules:
        rule = PACK.rule(r.id)
        if rule.expr and rule.expr.inputs and not any(k in flat for k in rule.expr.inputs) and not rule.when:
            assert r.outcome == "unknown", r.id


@settings(max_examples=100, deadline=None)
@given(clause=st.sampled_from([2, 4, 5]), drop=st.sets(st.sampled_from(sorted(FACTS))))
def test_dropping_facts_only_turns_outcomes_unknown(clause, drop):
    base_name = {2: "c2_ok", 4: "c4_ok", 5: "c5_creation_ok"}[clause]
    full = PACK.fixtures[base_name]
    cut = {k: ({kk: vv for kk, vv in v.items() if f"{k}.{kk}" not in drop} if isinstance(v, dict) else v)
           for k, v in full.items() if k not in drop}
    before = evaluate(PACK, clause, full).outcomes()
    after = evaluate(PACK, clause, cut).outcomes()
    for rid, o in after.items():
        if rid in before and o != before[rid]:
            assert o == "unknown", (rid, before[rid], o)
