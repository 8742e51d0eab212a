"""政策沙盘: what one parameter of the pack would change, over the real applications and the
latest compute-subsidy run. Reads only; nothing is stored except the audit event of a trial.

Per application: the facts it submitted (latest submission snapshot, with today's registries laid
over them, as every verdict does), judged by the pack in force ("before") and by an in-memory copy
with the parameter changed ("after"). An amount is the clause's 可兑现上限 (`max_amount_wan`); it
counts in the totals unless the verdict is 不符合条件 and the province has not approved the
application. An amount the pack cannot give yet (an unconfirmed parameter) is 待确认 and counts as 0.

Compute subsidy (the 免申即享 clause): the latest succeeded run's eligible organisations, 算力补助量
(卡时) × price (元/卡时) ÷ 10000 → 万元; with a ratio, 补助量 × a reference price × ratio.

Which parameters can be tried, their words, units and clauses are the pack's (`parameters`:
`description`, `unit`, `clause`, and `role` for the compute subsidy's price and ratio).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext, gettext_lazy as _

from duixian.applications.models import ApplicationState as S
from duixian.codes import divisions
from duixian.policy.display import status_label
from duixian.policy.verdict import Status

from .packcopy import pack_with_parameter

CENT = Decimal("0.01")
STATES = (S.SUBMITTED, S.RECOMMENDED, S.APPROVED, S.PUBLISHED, S.PARTLY_PAID, S.PAID)
APPROVED_STATES = (S.APPROVED, S.PUBLISHED, S.PARTLY_PAID, S.PAID)
UNCOUNTED = (Status.INELIGIBLE, Status.ERROR)  # an amount counts unless the verdict says no (or cannot say)


@dataclass(frozen=True)
class TrialParameter:
    name: str
    label: str
    unit: str
    clause: str
    compute: bool = False  # a compute-subsidy parameter (a 免申即享 clause), not in the amount formulas
    ratio: bool = False
    role: str = ""  # the pack's parameter role (compute_price, compute_ratio), if any


def trial_parameters(pack) -> "OrderedDict[str, TrialParameter]":
    """The parameters the province can try: those the pack ties to a clause, in the pack's order."""
    out: "OrderedDict[str, TrialParameter]" = OrderedDict()
    for name, values in pack.parameters.items():
        if not values or values[0].clause is None:
            continue
        v = values[0]
        ratio = v.unit == "ratio"
        out[name] = TrialParameter(name, _(v.description or name), _("比例") if ratio else _(v.unit), str(v.clause),
                                   compute=pack.clause(v.clause).kind == "automatic", ratio=ratio, role=v.role)
    return out


def clause_label(pack, clause: str) -> str:
    """A clause's group in the totals, as the pack names it: its `display.clause_name` and short title."""
    try:
        return f"{pack.clause_name(clause)} {pack.clause(clause).short_title}"
    except (KeyError, ValueError):
        return clause


def current_value(pack, name: str):
    """(value or None, confirmed) of a parameter in the pack in force."""
    try:
        pv = pack.parameter(name)
    except KeyError:
        return None, False
    return pv.value, pv.confirmed


@dataclass
class Row:
    key: str
    kind: str  # application | compute
    reference: str
    project_name: str
    organisation: str
    city_code: str
    city: str
    clause: str
    state: str
    before_status: Status | None  # None: a compute-subsidy row (no verdict)
    after_status: Status | None
    before_amount: Decimal | None
    after_amount: Decimal | None
    counted_before: bool = True
    counted_after: bool = True

    @property
    def status_changed(self) -> bool:
        return self.before_status != self.after_status

    @property
    def amount_changed(self) -> bool:
        return self.before_amount != self.after_amount

    @property
    def changed(self) -> bool:
        return self.status_changed or self.amount_changed

    @property
    def before_total(self) -> Decimal:
        return (self.before_amount or Decimal(0)) if self.counted_before else Decimal(0)

    @property
    def after_total(self) -> Decimal:
        return (self.after_amount or Decimal(0)) if self.counted_after else Decimal(0)

    @property
    def before_status_label(self) -> str:
        return status_label(self.before_status)

    @property
    def after_status_label(self) -> str:
        return status_label(self.after_status)


@dataclass
class Group:
    key: str
    label: str
    count: int = 0
    changed: int = 0
    before: Decimal = Decimal(0)
    after: Decimal = Decimal(0)
    pending_before: int = 0  # amounts 待确认 before the change
    pending_after: int = 0

    @property
    def delta(self) -> Decimal:
        return self.after - self.before

    def add(self, row: Row) -> None:
        self.count += 1
        self.changed += int(row.changed)
        self.before += row.before_total
        self.after += row.after_total
        self.pending_before += int(row.before_amount is None and row.counted_before)
        self.pending_after += int(row.after_amount is None and row.counted_after)


@dataclass
class TrialResult:
    parameter: TrialParameter
    value: Decimal
    reference_price: Decimal | None
    current: Decimal | None
    confirmed: bool
    rows: list[Row]
    total: Group
    by_city: list[Group]
    by_clause: list[Group]
    compute_run: object | None = None
    notes: list[str] = field(default_factory=list)
    reference_unit: str = ""  # the reference price's unit, 元 per the pack's base unit (2026: 元/卡时)

    @property
    def is_trial_of_unconfirmed(self) -> bool:
        """The parameter has no confirmed value: the result is a 试算 on a value nobody decided."""
        return not self.confirmed

    @property
    def changed_rows(self) -> list[Row]:
        return [r for r in self.rows if r.changed]

    @property
    def verdict_changes(self) -> int:
        return sum(1 for r in self.rows if r.status_changed)

    @property
    def amount_changes(self) -> int:
        return sum(1 for r in self.rows if r.amount_changed)

    def chart_data(self) -> dict:
        cities = [g for g in self.by_city if g.count]
        return {
            "parameter": str(self.parameter.label),
            "cities": [str(g.label) for g in cities],
            "city_before": [str(g.before) for g in cities],
            "city_after": [str(g.after) for g in cities],
            "clauses": [str(g.label) for g in self.by_clause],
            "clause_before": [str(g.before) for g in self.by_clause],
            "clause_after": [str(g.after) for g in self.by_clause],
        }


def _q(v) -> Decimal | None:
    return None if v is None else Decimal(v).quantize(CENT, rounding=ROUND_HALF_UP)


def _city_name(code: str) -> str:
    city = divisions.city_by_code(code) if code else None
    return city.name if city else gettext("未定地市")


def _application_facts(pack, app) -> dict:
    from duixian.applications.selectors import application_facts
    from duixian.registries.selectors import check_facts

    snapshot = app.submissions.order_by("-number").first()
    facts = snapshot.answers if snapshot and snapshot.answers else application_facts(app)
    return check_facts(app.clause, facts, pack=pack).facts


def _application_rows(pack, trial, clauses: set[str]) -> list[Row]:
    from duixian.applications.models import Application
    from duixian.policy.engine import evaluate

    rows = []
    qs = (Application.objects.filter(batch_id=pack.batch_id, state__in=STATES, clause__in=clauses)
          .select_related("organisation")
          .order_by("city_code", "clause", "pk"))
    for app in qs:
        facts = _application_facts(pack, app)
        try:
            before = evaluate(pack, int(app.clause), facts)
            after = evaluate(trial, int(app.clause), facts)
            b = (before.status, before.max_amount_wan)
            a = (after.status, after.max_amount_wan)
        except ValueError:  # facts the engine refuses: shown, not counted
            b = a = (Status.ERROR, None)
        approved = app.state in APPROVED_STATES
        rows.append(Row(
            key=f"app-{app.pk}", kind="application", reference=app.reference or "", project_name=app.project_name,
            organisation=app.organisation.name, city_code=app.city_code, city=_city_name(app.city_code),
            clause=app.clause, state=app.get_state_display(), before_status=b[0], after_status=a[0],
            before_amount=_q(b[1]), after_amount=_q(a[1]),
            counted_before=approved or b[0] not in UNCOUNTED,
            counted_after=approved or a[0] not in UNCOUNTED,
        ))
    return rows


def _compute_amount(money, quantity: Decimal, reference: Decimal | None, by_ratio: bool) -> Decimal | None:
    """万元: the compute-subsidy money's 元 (compute.selectors.compute_money, the one source) ÷ 10000."""
    yuan = money.yuan(quantity, reference_yuan=reference, by_ratio=by_ratio)
    return None if yuan is None else _q(yuan / Decimal(10000))


def _compute_rows(pack, param: TrialParameter, value: Decimal, reference: Decimal | None):
    from duixian.compute.models import SubsidyRun
    from duixian.compute.selectors import compute_money
    from duixian.codes.uscc import check_uscc

    # the batch's own latest run: another batch's quantities are not this pack's to price
    run = SubsidyRun.objects.succeeded().filter(batch_id=pack.batch_id).order_by("-created_at", "-id").first()
    if run is None:
        return None, []
    in_force = compute_money(pack)
    # the values in force count only when confirmed; the tried one replaces its own parameter
    before = replace(in_force, price_yuan=in_force.price_yuan if in_force.price_confirmed else None,
                     ratio=in_force.ratio if in_force.ratio_confirmed else None)
    by_ratio = param.role == "compute_ratio"
    tried = compute_money(pack, ratio=value) if by_ratio else compute_money(pack, price=value)
    after = replace(before, ratio=tried.ratio) if by_ratio else replace(before, price_yuan=tried.price_yuan)
    rows = []
    for res in run.results.filter(eligible=True, subsidy_quantity__gt=0).select_related("organisation"):
        code = (res.organisation.city_code if res.organisation else "") or (check_uscc(res.uscc).city_code or "")
        rows.append(Row(
            key=f"compute-{res.pk}", kind="compute", reference=gettext("算力补助计算#%(run)s") % {"run": run.pk},
            project_name=gettext("算力补助量 %(quantity)s %(unit)s") % {
                "quantity": f"{res.subsidy_quantity.normalize():f}", "unit": in_force.base_unit},
            organisation=res.name or res.uscc,
            city_code=code, city=_city_name(code), clause=param.clause, state=gettext("免申即享"), before_status=None,
            after_status=None, before_amount=_compute_amount(before, res.subsidy_quantity, reference, by_ratio),
            after_amount=_compute_amount(after, res.subsidy_quantity, reference, by_ratio),
        ))
    return run, rows


def run_trial(pack, name: str, value: Decimal, *, reference_price: Decimal | None = None) -> TrialResult:
    """Judge the real applications (or the latest compute run) with `name` set to `value`."""
    param = trial_parameters(pack)[name]
    current, confirmed = current_value(pack, name)
    notes = []
    run = None
    if param.compute:
        run, rows = _compute_rows(pack, param, Decimal(value), reference_price)
        if run is None:
            notes.append(gettext("还没有成功完成的算力补助计算，无法试算%(clause)s。") % {"clause": pack.clause_name(param.clause)})
    else:
        trial = pack_with_parameter(pack, name, Decimal(value))
        rows = _application_rows(pack, trial, {param.clause})
    total = Group("total", gettext("合计"))
    cities: dict[str, Group] = {c.code: Group(c.code, c.name) for c in divisions.CITIES}
    clauses: dict[str, Group] = {}
    for r in rows:
        total.add(r)
        cities.setdefault(r.city_code or "", Group(r.city_code or "", r.city)).add(r)
        clauses.setdefault(r.clause, Group(r.clause, clause_label(pack, r.clause))).add(r)
    if not clauses:
        clauses[param.clause] = Group(param.clause, clause_label(pack, param.clause))
    from duixian.compute.selectors import compute_money

    return TrialResult(param, Decimal(value), reference_price, current, confirmed, rows, total,
                       list(cities.values()), [clauses[k] for k in sorted(clauses)], run, notes,
                       compute_money(pack).yuan_per_base_unit)
