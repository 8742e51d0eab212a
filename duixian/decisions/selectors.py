"""Reading for the province: progress of every city, paper receipts, panels, verdicts, 公示."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_lazy as _

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.applications import policy_bridge, questions as q
from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.selectors import latest_submission
from duixian.decisions.models import (
    Assignment, ConflictDeclaration, ExpertPanel, Objection, ObjectionAttachment, PaperReceipt, Publication,
    PublicationItem,
)
from duixian.codes.divisions import CITIES
from duixian.policy.scoring import Sheet
from duixian.policy.verdict import Verdict
from duixian.review.selectors import was_recommended

# ---- progress ---------------------------------------------------------------------------------

# Everything the city recommended, whatever the province did with it since.
RECOMMENDED_OR_LATER = (S.RECOMMENDED, S.APPROVED, S.REJECTED, S.PUBLISHED, S.PARTLY_PAID, S.PAID)

COLUMNS = (
    ("total", _("已提交申报")),
    ("waiting", _("待市级审核")),
    ("recommended", _("市级已推荐")),
    ("returned", _("退回补正中")),
    ("not_recommended", _("不予推荐")),
    ("expired", _("逾期")),
    ("withdrawn", _("已撤回")),
)


@dataclass
class Counts:
    total: int = 0
    waiting: int = 0
    recommended: int = 0
    returned: int = 0
    not_recommended: int = 0
    expired: int = 0
    withdrawn: int = 0
    amount_requested: Decimal = Decimal("0.00")
    amount_recommended: Decimal = Decimal("0.00")

    def add(self, other: "Counts") -> None:
        for name in ("total", "waiting", "recommended", "returned", "not_recommended", "expired", "withdrawn",
                     "amount_requested", "amount_recommended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def values(self) -> list[int]:
        return [getattr(self, key) for key, _label in COLUMNS]


@dataclass
class ProgressRow:
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)
    by_clause: dict[str, Counts] = field(default_factory=dict)


@dataclass
class Progress:
    cities: list[ProgressRow]
    clauses: list[ProgressRow]
    total: Counts

    def chart_data(self) -> dict:
        """What the ECharts on the dashboard draw; the table shows the same numbers."""
        return {
            "cities": [r.name for r in self.cities],
            "series": [
                {"key": key, "name": str(label), "data": [getattr(r.counts, key) for r in self.cities]}
                for key, label in COLUMNS if key != "total"
            ],
            "clauses": [r.name for r in self.clauses],
            "clause_amounts": [str(r.counts.amount_requested) for r in self.clauses],
            "clause_recommended_amounts": [str(r.counts.amount_recommended) for r in self.clauses],
        }


def progress(pack=None) -> Progress:
    """Every city's progress by state and clause in one batch (`pack`, the default batch without
    one), from ONE aggregate query over applications."""
    pack = pack or policy_bridge.get_pack()
    rows = (
        Application.objects.submitted_at_least_once().filter(batch_id=pack.batch_id)
        .values("city_code", "clause")
        .annotate(
            total=Count("pk"),
            waiting=Count("pk", filter=Q(state=S.SUBMITTED)),
            # Recommended: the recorded fact (review.selectors.was_recommended), as on the city's 汇总表.
            recommended=Count("pk", filter=Q(was_recommended())),
            returned=Count("pk", filter=Q(state=S.RETURNED)),
            not_recommended=Count("pk", filter=Q(state=S.NOT_RECOMMENDED)),
            expired=Count("pk", filter=Q(state=S.EXPIRED)),
            withdrawn=Count("pk", filter=Q(state=S.WITHDRAWN)),
            # A withdrawn application asks for nothing any more: not in 拟申请金额合计.
            amount_requested=Sum("amount_requested_wan", filter=~Q(state=S.WITHDRAWN)),
            amount_recommended=Sum("amount_requested_wan", filter=Q(was_recommended())),
        )
        .order_by("city_code", "clause")
    )
    cities = {c.code: ProgressRow(c.code, c.name) for c in CITIES}
    clause_rows: dict[str, ProgressRow] = {}
    for choice in policy_bridge.clause_choices(pack):
        clause_rows.setdefault(choice.clause, ProgressRow(choice.clause, _clause_name(choice.clause, pack)))
    total = Counts()
    for row in rows:
        counts = Counts(
            row["total"], row["waiting"], row["recommended"], row["returned"], row["not_recommended"],
            row["expired"], row["withdrawn"], _money(row["amount_requested"]), _money(row["amount_recommended"]),
        )
        city = cities.get(row["city_code"])
        if city is None:  # an organisation whose city is not (yet) one of the 16
            city = cities.setdefault(row["city_code"] or "", ProgressRow(row["city_code"] or "", gettext("未归属地市")))
        city.counts.add(counts)
        city.by_clause.setdefault(row["clause"], Counts()).add(counts)
        clause = clause_rows.setdefault(row["clause"], ProgressRow(row["clause"], _clause_name(row["clause"], pack)))
        clause.counts.add(counts)
        total.add(counts)
    return Progress(list(cities.values()), sorted(clause_rows.values(), key=lambda r: int(r.code)), total)


def _money(value) -> Decimal:
    # SQLite sums decimals as numbers: show every amount with its two decimals.
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _clause_name(clause: str, pack) -> str:
    try:
        return policy_bridge.clause_cell(clause, pack=pack)
    except Exception:
        return f"第{clause}条"


# ---- paper receipts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiptRow:
    code: str
    name: str
    receipt: PaperReceipt | None
    on_time: bool | None
    complete: bool | None


def paper_receipts(pack) -> list[ReceiptRow]:
    """Every city's receipt for the pack's batch, judged by that pack's deadline, items and copies."""
    deadline = pack.delivery.deadline
    receipts = {r.city_code: r for r in PaperReceipt.objects.filter(batch_id=pack.batch_id)}
    out = []
    for city in CITIES:
        r = receipts.get(city.code)
        out.append(ReceiptRow(city.code, city.name, r, r.on_time(deadline) if r else None,
                              r.complete(pack.delivery) if r else None))
    return out


def paper_receipt(city_code: str, batch_id: str) -> PaperReceipt | None:
    """The city's paper receipt for the batch recorded so far, if any (one per city and batch)."""
    return PaperReceipt.objects.filter(city_code=city_code, batch_id=batch_id).first()


# ---- expert review ----------------------------------------------------------------------------


def experts() -> QuerySet[User]:
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("full_name", "username")


def experts_with_workload() -> QuerySet[User]:
    """The experts with their declared conflicts and their assignments (the province's review page)."""
    return experts().prefetch_related("conflict_declarations", "assignments")


def panels(batch_id: str) -> QuerySet[ExpertPanel]:
    """The batch's expert panels with their members, by clause and name."""
    return ExpertPanel.objects.filter(batch_id=batch_id).prefetch_related("members").order_by("clause", "name")


def assignments_with(*related: str) -> QuerySet[Assignment]:
    """Assignments with their application and the relations a page shows (`related`)."""
    return Assignment.objects.select_related("application", *related)


def conflict_of_interest(expert, application) -> tuple[bool, str]:
    """(conflicted, why): 回避 when the expert belongs to or declared the applicant organisation.
    `why` is in the active language (the audit writes it under translation.override("zh-hans"))."""
    org = application.organisation
    if getattr(expert, "organisation_id", None) and expert.organisation_id == org.pk:
        return True, gettext("专家%(expert)s属于申报单位“%(org)s”，须回避。") % {"expert": expert, "org": org.name}
    query = Q(organisation_id=org.pk)
    if org.uscc:
        query |= Q(uscc=org.uscc.upper())
    declaration = ConflictDeclaration.objects.filter(query, expert=expert).first()
    if declaration is not None:
        return True, gettext("专家%(expert)s已申报与“%(org)s”存在利害关系（%(relation)s），须回避，不能分配。") % {
            "expert": expert, "org": org.name, "relation": declaration.get_relation_display()}
    return False, ""


def assignments_for_expert(user) -> QuerySet[Assignment]:
    return (Assignment.objects.filter(expert=user)
            .select_related("application", "application__organisation", "panel")
            .order_by("scored_at", "assigned_at"))


def snapshot_facts(application) -> dict:
    """The facts frozen at the latest submission (what the city recommended)."""
    snapshot = latest_submission(application)
    return dict(snapshot.answers) if snapshot else {}


def snapshot_verdict(application) -> Verdict | None:
    """The verdict stored at the latest submission (what the city recommended on)."""
    snapshot = latest_submission(application)
    return Verdict.from_json(snapshot.verdict) if snapshot else None


@dataclass
class FactVote:
    name: str
    question: str
    yes: int
    no: int

    @property
    def result(self) -> bool | None:
        """Majority of the experts who scored; a tie decides nothing (the panel must confer)."""
        if self.yes > self.no:
            return True
        if self.no > self.yes:
            return False
        return None


@dataclass
class PanelResult:
    assignments: list[Assignment]
    scored: int
    mean_total: Decimal | None
    votes: list[FactVote]

    @property
    def facts(self) -> dict:
        """The settled review facts, flat ({"scene.demonstration_effect": True}); ties left out."""
        return {v.name: v.result for v in self.votes if v.result is not None and self.scored}


def sheet_for(application) -> Sheet | None:
    """The sheet an expert fills for this application: its own batch's pack's, for its clause and
    application type; None when that clause has no expert review in that batch."""
    return policy_bridge.application_pack(application).scoring_sheet(application.clause, application.application_type)


def panel_result(application) -> PanelResult:
    assignments = list(application.expert_assignments.select_related("expert", "panel").order_by("assigned_at", "pk"))
    scored = [a for a in assignments if a.scored]
    mean = None
    if scored:
        mean = (sum((a.total or Decimal("0")) for a in scored) / len(scored)).quantize(Decimal("0.01"))
    votes = []
    sheet = sheet_for(application)
    if sheet:
        for fact in sheet.facts:
            yes = sum(1 for a in scored if a.review_facts.get(fact.name) is True)
            no = sum(1 for a in scored if a.review_facts.get(fact.name) is False)
            votes.append(FactVote(fact.name, fact.question, yes, no))
    return PanelResult(assignments, len(scored), mean, votes)


def facts_with_panel(application, panel: PanelResult | None = None) -> dict:
    panel = panel or panel_result(application)
    flat = q.flatten(snapshot_facts(application))
    flat.update(panel.facts)
    return q.nest(flat)


def current_verdict(application, panel: PanelResult | None = None) -> Verdict:
    """The verdict over the submitted facts plus the panel's judgements (re-evaluated now)."""
    return policy_bridge.evaluate_facts(application.clause, facts_with_panel(application, panel),
                                        policy_bridge.application_pack(application))


def decision_cap(application, verdict: Verdict | None = None) -> Decimal | None:
    """The cap a decision is held to: the current verdict's, else the one at submission."""
    verdict = verdict if verdict is not None else current_verdict(application)
    if verdict.max_amount_wan is not None:
        return verdict.max_amount_wan
    snapshot = snapshot_verdict(application)
    return snapshot.max_amount_wan if snapshot else None


# ---- decisions and 公示 ------------------------------------------------------------------------


def recommended_applications(batch_id: str = "") -> QuerySet[Application]:
    """Recommended applications waiting for a decision (of one batch when given)."""
    qs = Application.objects.filter(state=S.RECOMMENDED)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.select_related("organisation").order_by("clause", "city_code", "first_submitted_at", "pk")


def awaiting_decision(clause: str = "", batch_id: str = "") -> QuerySet[Application]:
    """The recommended applications waiting for a decision (of one clause, one batch when given),
    with their expert assignments."""
    pending = recommended_applications(batch_id).prefetch_related("expert_assignments")
    return pending.filter(clause=clause) if clause else pending


def applications_by_pk(ids) -> dict[int, Application]:
    """The applications with these ids (and their organisation), by id; unknown ids are left out."""
    return {a.pk: a for a in Application.objects.filter(pk__in=ids).select_related("organisation")}


def submitted_application(pk) -> Application | None:
    """The application if it was ever submitted: the province never sees a draft."""
    return (Application.objects.select_related("organisation")
            .filter(pk=pk, first_submitted_at__isnull=False).first())


def decided_applications(batch_id: str = "") -> QuerySet[Application]:
    qs = Application.objects.filter(decision__isnull=False)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.select_related("organisation", "decision").order_by("-decision__decided_at", "pk")


def approved_unpublished(batch_id: str = "") -> QuerySet[Application]:
    qs = Application.objects.filter(state=S.APPROVED)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.select_related("organisation", "decision").order_by("clause", "city_code", "pk")


def publications() -> QuerySet[Publication]:
    return Publication.objects.annotate(
        item_count=Count("items", distinct=True),
        objection_count=Count("objections", distinct=True),
        open_objections=Count("objections", filter=Q(objections__status="open"), distinct=True),
    )


def objections_of(publication: Publication) -> QuerySet[Objection]:
    """The objections to a 公示, with what their answers and the page show."""
    return (publication.objections.select_related("item", "answered_by", "publication", "decision__application")
            .prefetch_related("attachments"))


def publication_item(publication: Publication, item_id: str) -> PublicationItem | None:
    """The item of this 公示 with that id (as typed in a form), or None."""
    return publication.items.filter(pk=item_id).first() if item_id.isdigit() else None


def objection_by_reference(reference: str) -> Objection | None:
    """The objection with this 受理编号 (the submitter's lookup), or None."""
    return (Objection.objects.select_related("publication", "item", "decision__application")
            .filter(reference=reference).first())


def objection_attachments() -> QuerySet[ObjectionAttachment]:
    return ObjectionAttachment.objects.select_related("objection")


def funding_records(application):
    """The application's allocations, payments and recoveries, with who recorded them."""
    return application.funding.select_related("recorded_by")


def funding_totals(application) -> dict[str, Decimal]:
    totals = {"allocation": _money(0), "payment": _money(0), "recovery": _money(0)}
    for row in application.funding.values("kind").annotate(amount=Sum("amount_wan")):
        totals[row["kind"]] = _money(row["amount"])
    return totals
