"""Reads for the compute subsidy that need the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from .engine import OrgInfo


def subsidy_orgs_from_database() -> dict[str, OrgInfo]:
    """Every organisation with a USCC, as the engine needs it (one query).

    ``in_anhui`` on the organisation (derived from the code, or confirmed by the city for a
    centrally registered code) is used as the Anhui registration when it is set.
    """
    from duixian.orgs.models import Organisation  # the lead's model; imported lazily

    rows = list(
        Organisation.objects.exclude(uscc__isnull=True).exclude(uscc="")
        .values_list("uscc", "name", "kind", "independent_legal_person", "agi_enterprise",
                     "group_id", "in_anhui", "affiliates")
    )
    groups = affiliate_groups([(r[0].upper(), r[5] or "", r[7] or []) for r in rows])
    return {
        uscc.upper(): OrgInfo(
            uscc=uscc.upper(), name=name, kind=kind,
            independent_legal_person=independent, agi_enterprise=agi,
            group_id=groups.get(uscc.upper(), ""), registered_in_anhui=in_anhui,
        )
        for uscc, name, kind, independent, agi, _group_id, in_anhui, _affiliates in rows
    }


def affiliate_groups(orgs) -> dict[str, str]:
    """The group of each organisation from (uscc, group_id, affiliates) triples: a group_id given
    by the province, joined with every 关联企业 either side declared (三（一）3: 自建自用 covers the
    organisation and its affiliates). Only registered organisations are grouped; one left alone
    has no group ("")."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    known = {uscc for uscc, _g, _a in orgs}
    for uscc, group_id, affiliates in orgs:
        find("u:" + uscc)
        if group_id:
            union("u:" + uscc, "g:" + group_id)
        for other in affiliates:
            if str(other).upper() in known:
                union("u:" + uscc, "u:" + str(other).upper())
    members: dict[str, list[str]] = {}
    for uscc, group_id, _a in orgs:
        members.setdefault(find("u:" + uscc), []).append(uscc)
    out = {}
    for uscc, group_id, _a in orgs:
        root = find("u:" + uscc)
        if len(members[root]) > 1 or group_id:
            out[uscc] = root[2:] if root.startswith("g:") else "affiliates:" + root[2:]
    return out


def subsidy_run_current(batch_id: str | None = None):
    """The latest run that succeeded (a failed or running one never replaces it), or None; of
    one batch when `batch_id` is given (each batch's run has that batch's period and units)."""
    from .models import SubsidyRun

    runs = SubsidyRun.objects.succeeded()
    if batch_id is not None:
        runs = runs.filter(batch_id=batch_id)
    return runs.order_by("-created_at", "-id").first()


def metering_imports():
    """Imports with who made them, newest first, for the import list."""
    from .models import MeteringImport

    return MeteringImport.objects.select_related("created_by", "machine_client")


def subsidy_run_published(batch_id: str | None = None):
    """The run the organisations see: the one published last (of one batch, with `batch_id`), or None."""
    from .models import SubsidyRun

    runs = SubsidyRun.objects.filter(published_at__isnull=False)
    if batch_id is not None:
        runs = runs.filter(batch_id=batch_id)
    return runs.order_by("-published_at", "-id").first()


def subsidy_runs():
    """Runs with who started and who published them, newest first."""
    from .models import SubsidyRun

    return SubsidyRun.objects.select_related("created_by", "published_by")


def subsidy_runs_counted(limit: int = 20, batch_id: str | None = None) -> list:
    """The latest runs (of one batch, with `batch_id`), each with its number of results and of
    subsidised organisations."""
    from django.db.models import Count, Q

    runs = subsidy_runs() if batch_id is None else subsidy_runs().filter(batch_id=batch_id)
    return list(runs.annotate(
        n_results=Count("results"), n_subsidised=Count("results", filter=Q(results__subsidy_quantity__gt=0)))[:limit])


def compute_jobs():
    """Background imports and runs with what they made."""
    from .models import ComputeJob

    return ComputeJob.objects.select_related("created_by", "metering_import", "run")


def compute_jobs_unfinished(limit: int = 10):
    return compute_jobs().exclude(status__in=["succeeded"])[:limit]


def job_progress(job):
    """The worker's progress report of a background job, or None (not started, or no worker)."""
    from duixian.ops.models import TaskProgress

    return TaskProgress.objects.filter(task_id=job.task_id).first() if job.task_id else None


def subsidy_results_final():
    """Results of runs that succeeded (a failed run's rows are never shown)."""
    from .models import RunStatus, SubsidyResult

    return SubsidyResult.objects.select_related("run").filter(run__status=RunStatus.SUCCEEDED)


def subsidy_objections():
    """Every objection with its result, run and who sent and answered it."""
    from .models import SubsidyObjection

    return SubsidyObjection.objects.select_related("result", "result__run", "created_by", "resolved_by")


def open_objection_count() -> int:
    from .models import ObjectionStatus

    return subsidy_objections().filter(status=ObjectionStatus.OPEN).count()


def organisation_names(codes) -> dict[str, str]:
    """The registered names of these USCCs (an unregistered code is left out)."""
    from duixian.orgs.models import Organisation

    return dict(Organisation.objects.filter(uscc__in=codes).values_list("uscc", "name"))


def subsidy_results_of_organisation(organisation) -> list:
    """The organisation's result in each batch's latest published run, the run published last
    first (a batch whose latest published run has no result for it is left out)."""
    from .models import SubsidyRun

    if organisation is None or not organisation.uscc:
        return []
    published = SubsidyRun.objects.filter(published_at__isnull=False)
    results = []
    for batch_id in sorted(set(published.values_list("batch_id", flat=True))):
        result = subsidy_run_published(batch_id).results.select_related("run").filter(
            uscc=organisation.uscc.upper()).first()
        if result is not None:
            results.append(result)
    return sorted(results, key=lambda r: (r.run.published_at, r.run.pk), reverse=True)


# A money unit a pack may price compute in (the part before the slash of `元/卡时`), in 元.
MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10000)}


@dataclass(frozen=True)
class ComputeMoney:
    """The pack's compute-subsidy money, the one source for every page, export and trial: the
    price per base unit (`compute_price` parameter, converted from its own `unit`, e.g. 元/卡时, to
    元) or the ratio (`compute_ratio`), each with whether the province confirmed it."""

    clause: int | None  # the 免申即享 clause the parameters belong to
    price_unit: str  # the price parameter's unit as the pack writes it, e.g. 元/卡时
    base_unit: str  # the name of the pack's base compute unit, e.g. 卡时
    price: Decimal | None  # in the parameter's own unit
    price_yuan: Decimal | None  # the same, in 元 per base unit
    price_confirmed: bool
    ratio: Decimal | None
    ratio_confirmed: bool

    @property
    def yuan_per_base_unit(self) -> str:
        """元 per base unit as the pack's words, e.g. 元/卡时 (a price the pages ask for in 元)."""
        return f"元/{self.base_unit}" if self.base_unit else "元"

    def yuan(self, quantity: Decimal, *, reference_yuan: Decimal | None = None,
             by_ratio: bool = False) -> Decimal | None:
        """Unrounded 元 for `quantity` base units: quantity × price, or with `by_ratio` quantity ×
        a reference price (元 per base unit) × ratio; None without the values to say."""
        if by_ratio:
            if self.ratio is None or reference_yuan is None:
                return None
            return Decimal(quantity) * Decimal(reference_yuan) * self.ratio
        return None if self.price_yuan is None else Decimal(quantity) * self.price_yuan


def compute_money(pack, *, price: Decimal | None = None, ratio: Decimal | None = None) -> ComputeMoney:
    """The pack's compute price and ratio (`price`/`ratio`: a value tried instead, in the
    parameter's unit; a tried value counts as confirmed)."""

    def param(role: str, override):
        name = pack.parameter_for(role)
        if name is None:
            return None, False, "", None
        pv = pack.parameter(name)
        if override is not None:
            return Decimal(override), True, pv.unit, pv.clause
        return pv.value, pv.confirmed, pv.unit, pv.clause

    p, p_ok, unit, clause = param("compute_price", price)
    r, r_ok, _unit, r_clause = param("compute_ratio", ratio)
    factor = MONEY_UNITS.get(unit.split("/")[0].strip()) if unit else None
    base = next((u.get("name", "") for u in pack.compute_units if u.get("base")), "")
    if clause is None:
        clause = r_clause if r_clause is not None else next(
            (c.number for c in pack.clauses if c.kind == "automatic"), None)
    return ComputeMoney(clause, unit, base, p,
                        None if p is None or factor is None else p * factor, p_ok, r, r_ok)


@dataclass(frozen=True)
class YuanAmount:
    """The subsidy in yuan where the pack gives a price per base unit; never invented."""

    amount: Decimal | None  # None: the pack gives no value to compute it with
    confirmed: bool  # False: computed with a parameter the province has not confirmed
    note: str  # lazy text: str() it in the language wanted


def subsidy_amount_yuan(quantity: Decimal, pack=None) -> YuanAmount:
    """算力补助量 × the pack's compute price (`compute_money`), marked unconfirmed while the
    parameter is.

    A ratio (比例) applies to compute spending, which metering does not carry: with only a
    ratio the amount is not computed and the note says so.
    """
    if pack is None:
        from duixian.policy.active import current_pack

        pack = current_pack()
    money = compute_money(pack)
    if money.price_yuan is not None:
        amount = money.yuan(quantity).quantize(Decimal("0.01"), ROUND_HALF_UP)
        # Lazy: the pages show the note in their language, the subsidy exports in Chinese.
        note = format_lazy(_("按单价 {price} {unit}计算"), price=f"{money.price.normalize():f}", unit=money.price_unit)
        if not money.price_confirmed:
            note = format_lazy("{}{}", note, _("（单价未确认）"))
        return YuanAmount(amount, money.price_confirmed, note)
    if money.ratio is not None:
        return YuanAmount(None, False, format_lazy(
            _("按比例（{ratio}）补助须有算力费用数据，计量数据中没有费用，金额待确认"), ratio=f"{money.ratio.normalize():f}"))
    clause = _clause_said(pack, money.clause) if money.clause is not None else ""
    return YuanAmount(None, False, format_lazy(_("政策包未给出{clause}的补助单价或比例，金额待省科技厅确认"), clause=clause))


def _said_clause(pack, number: int) -> str:
    """The clause as the language in force names it: the pack's own name (its clause_name) in Chinese, the
    glossary's "clause 3" in English."""
    if (translation.get_language() or "").lower().startswith("zh"):
        return pack.clause_name(number)
    return gettext("条款 %(n)s") % {"n": number}


_clause_said = lazy(_said_clause, str)  # said when the note is: on a page, or in Chinese for the exports
