"""An in-memory copy of a loaded Pack with one parameter given another value (pure, no Django).

The pack compiles parameters into its expressions as constants at load, so a copy must
recompile what uses the parameter: the amount formulas (and any rule) that read `param.<name>`.
The original pack is not touched; the copy is never stored or loaded as the platform's pack.
Nothing changes for anyone until the province loads a new pack version.
"""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

from duixian.policy import engine
from duixian.policy.expr import Compiler
from duixian.policy.pack import Amount, Pack, ParameterValue

TRIAL_SOURCE = "政策沙盘试算值（未生效）"


def _current(pack: Pack, name: str) -> ParameterValue | None:
    try:
        return pack.parameter(name)
    except KeyError:
        return None


def pack_with_parameter(pack: Pack, name: str, value: Decimal) -> Pack:
    """A copy of `pack` where parameter `name` is `value` (confirmed, for the trial) from the notice date on."""
    if name not in pack.parameters:
        raise KeyError(f"政策包没有参数 {name}")
    value = Decimal(value)
    trial = copy.copy(pack)
    cur = _current(pack, name)
    since = pack.notice_date
    trial.parameters = dict(pack.parameters)
    trial.parameters[name] = [
        dataclasses.replace(cur, value=value, since=since, confirmed=True, source=TRIAL_SOURCE) if cur
        else ParameterValue(name, value, since, True, TRIAL_SOURCE)
    ]
    trial.version = f"{pack.version}+沙盘"
    trial.digest = ""

    constants = {
        "window.application_open": ("datetime", pack.application_open),
        "window.application_close": ("datetime", pack.application_close),
        "window.city_review_deadline": ("datetime", pack.city_review_deadline),
        "window.project_period_start": ("date", pack.project_period_start),
        "window.project_period_end": ("date", pack.project_period_end),
    }
    params = {}
    for pname in trial.parameters:
        pv = _current(trial, pname)
        params[f"param.{pname}"] = pv.value if (pv and pv.confirmed) else None
    compiler = Compiler(pack.facts.rule_types(), constants, params, pack.tz)
    key = f"param.{name}"

    amounts = {}
    for n, am in pack.amounts.items():
        if am.expr is not None and key in am.expr.params:
            compiled = compiler.compile(am.expr.text, "num")
            used = tuple(sorted(x.split(".", 1)[1] for x in compiled.params))
            # Evaluated for the trial even when another parameter it reads is still unconfirmed:
            # those read as null, so e.g. a trial 一等奖 amount prices rank-1 awards and leaves the
            # other ranks null (待确认) rather than hiding every clause-四 amount.
            amounts[n] = Amount(n, compiled, am.note, used, True)
        else:
            amounts[n] = am
    trial.amounts = amounts

    rules = []
    for r in pack.rules:
        if (r.expr and key in r.expr.params) or (r.when and key in r.when.params):
            r = dataclasses.replace(
                r,
                expr=compiler.compile(r.expr.text, "bool") if r.expr else None,
                when=compiler.compile(r.when.text, "bool") if r.when else None,
            )
        rules.append(r)
    trial.rules = rules
    trial.compiled = {}
    engine.prepare(trial)
    return trial
