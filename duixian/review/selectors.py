"""Reading the city's work: the work list, one application's review picture, the deadline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S, StateChange, Submission
from duixian.applications.selectors import application_verdict, applications_for_city, latest_submission
from duixian.core import clock, listing, workdays
from duixian.core.compiled import CompiledQuery
from duixian.policy.verdict import Outcome, RuleOutcome, Verdict
from duixian.review.models import CheckResult, ChecklistResult, CityContact

# The states a clerk filters by, in the order of the work.
WORKLIST_STATES = (S.SUBMITTED, S.RETURNED, S.RECOMMENDED, S.NOT_RECOMMENDED, S.EXPIRED, S.WITHDRAWN,
                   S.APPROVED, S.REJECTED, S.PUBLISHED, S.PARTLY_PAID, S.PAID)


# What a row of the work list shows (review/templatetags/worklist.py): reading another field of
# these applications costs a query a row (tests/review/test_worklist_html.py counts them).
WORKLIST_COLUMNS = ("reference", "state", "project_name", "clause", "application_type", "batch_id",
                    "amount_requested_wan", "first_submitted_at")


def worklist(city_code: str, *, batch_id: str = "", clause: str = "", state: str = "",
             text: str = "") -> QuerySet[Application]:
    """The city's applications submitted at least once (of one batch when given), oldest
    submission first, with the organisation's name and the snapshot verdict; `text` searches them
    (core.listing). Only the columns a row of the list shows are read (not the answers, a JSON
    document each, nor the whole organisation)."""
    latest = Submission.objects.filter(application=OuterRef("pk")).order_by("-number")
    qs = (applications_for_city(city_code, batch_id)
          .select_related(None).only(*WORKLIST_COLUMNS)  # the organisation's name, not the organisation
          .annotate(organisation_name=F("organisation__name"),
                    snapshot_status=Subquery(latest.values("verdict__status")[:1]))
          .order_by("first_submitted_at", "pk"))
    if clause:
        qs = qs.filter(clause=clause)
    if state:
        qs = qs.filter(state=state)
    return listing.matching(qs, text) if text else qs


# ---- what the city recommended -------------------------------------------------------------------
# Recommendation is a recorded fact (the "recommend" StateChange), not a current state: an
# application the city recommended stays on its 汇总表 and 推荐函 whatever the province did
# next (approved, rejected, published, paid ...).

RECOMMEND_ACTION = "recommend"


def was_recommended() -> Exists:
    """A filter expression: the city recommended this application (at some point, for good)."""
    return Exists(StateChange.objects.filter(application=OuterRef("pk"), action=RECOMMEND_ACTION))


def recommended_by_city(city_code: str, batch_id: str = "") -> QuerySet[Application]:
    """Every application the city recommended (in one batch when given), oldest submission first."""
    qs = Application.objects.filter(city_code=city_code).filter(was_recommended())
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs.order_by("first_submitted_at", "pk")


def last_recommendation_at(city_code: str, batch_id: str = ""):
    """When the city last recommended an application (of one batch when given; None before its
    first): the latest such state change, through a query compiled once per process (the work
    list's 汇总表 preview asks it on every page)."""
    found = (_LAST_RECOMMENDATION_IN_BATCH.first(city_code, batch_id) if batch_id
             else _LAST_RECOMMENDATION.first(city_code))
    return found.at if found else None


def _recommendations(city_code: str, batch_id: str | None = None) -> QuerySet[StateChange]:
    qs = StateChange.objects.filter(application__city_code=city_code, action=RECOMMEND_ACTION)
    if batch_id is not None:
        qs = qs.filter(application__batch_id=batch_id)
    return qs.order_by("-at", "-pk")


_LAST_RECOMMENDATION = CompiledQuery(StateChange, _recommendations, ("\x00city",))
_LAST_RECOMMENDATION_IN_BATCH = CompiledQuery(StateChange, _recommendations, ("\x00city", "\x00batch"))


def state_counts(city_code: str, batch_id: str = "") -> dict[str, int]:
    rows = applications_for_city(city_code, batch_id).order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def expired_applications(city_code: str = "") -> QuerySet[Application]:
    """逾期 applications by city (of one city when given), with their organisation."""
    qs = Application.objects.filter(state=S.EXPIRED).select_related("organisation").order_by("city_code", "pk")
    return qs.filter(city_code=city_code) if city_code else qs


def latest_snapshot(app: Application) -> Submission | None:
    return latest_submission(app)


@dataclass(frozen=True)
class ChecklistRow:
    id: str
    text: str
    rules: tuple[str, ...]
    result: str
    note: str
    outcomes: tuple[RuleOutcome, ...]  # the verdict's rules this item covers, with their outcomes

    @property
    def result_label(self) -> str:
        return CheckResult(self.result).label if self.result else _("未审核")

    @property
    def system_outcome(self) -> Outcome | None:
        """fail when any covered rule fails, unknown when any is undecided, pass when all pass."""
        values = {o.outcome for o in self.outcomes}
        if not values:
            return None
        return next(o for o in (Outcome.FAIL, Outcome.UNKNOWN, Outcome.PASS) if o in values)


_SAVED_RESULTS = CompiledQuery(
    ChecklistResult, lambda app_id: ChecklistResult.objects.filter(application_id=app_id), (-5_170_331,))


def checklist_rows(app: Application, verdict: Verdict | None = None) -> list[ChecklistRow]:
    """The clause's checklist from the application's pack, each item with the clerk's saved result
    and the rules it covers (the saved results read through a query compiled once)."""
    pack = policy_bridge.application_pack(app)
    saved = {r.item_id: r for r in _SAVED_RESULTS.all(app.pk)}
    by_rule = {r.id: r for r in verdict.rules} if verdict else {}
    rows = []
    for item in pack.checklist(int(app.clause)):
        result = saved.get(item.id)
        rules = tuple(getattr(item, "rules", ()) or ())
        rows.append(ChecklistRow(
            id=item.id, text=item.text, rules=rules,
            result=result.result if result else "", note=result.note if result else "",
            outcomes=tuple(by_rule[r] for r in rules if r in by_rule),
        ))
    return rows


def recomputed_verdict(app: Application) -> Verdict:
    """The verdict on the application's facts now (the engine, with the current pack)."""
    return application_verdict(app)


@dataclass(frozen=True)
class Deadline:
    moment: object
    text: str
    left: workdays.TimeLeft
    citation: str = ""  # where the notice says what the deadline leaves open expires: 通知六、（四）
    rule: str = ""  # that sentence's words

    @property
    def passed(self) -> bool:
        return self.left.passed


def city_deadline(moment=None, pack=None) -> Deadline:
    """The city review deadline of `pack`'s batch (the default batch's without one)."""
    pack = pack or policy_bridge.get_pack()
    moment = moment or clock.now()
    deadline = pack.city_review_deadline
    sentence = pack.city_review_expiry_sentence
    return Deadline(deadline, policy_bridge.format_moment(deadline), workdays.time_left(moment, deadline),
                    pack.cite(sentence), pack.sentence(sentence).text if sentence else "")


def city_bureau_name(city_code: str, pack=None) -> str:
    """The 归口管理部门 as the 汇总表 of `pack`'s batch (the default batch's without one) names it: 合肥市科技局."""
    from duixian.orgs.selectors import city_name

    name = city_name(city_code)
    if not name:
        contact = (pack or policy_bridge.get_pack()).contacts.city(city_code)
        name = contact.city if contact else city_code
    return f"{name}科技局"


# The work list page asks it twice (its contact form, and the 汇总表 preview's contact line).
_CITY_CONTACT = CompiledQuery(
    CityContact, lambda city: CityContact.objects.filter(city_code=city).order_by("pk"), ("\x00city-contact",))


def city_contact(city_code: str, pack=None) -> tuple[str, str]:
    """(contact person, phone) for the 汇总表: what the clerk set, else the city's line in 附件1 of
    `pack` (the default batch's without one)."""
    row = _CITY_CONTACT.first(city_code)
    name = row.contact_name if row else ""
    phone = row.contact_phone if row and row.contact_phone else ""
    if not phone:
        contact = (pack or policy_bridge.get_pack()).contacts.city(city_code)
        phone = contact.phone if contact else ""
    return name, phone


def city_contact_line(city_code: str, pack=None) -> str:
    name, phone = city_contact(city_code, pack)
    return " ".join(part for part in (name, phone) if part)
