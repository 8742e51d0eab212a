"""Reading the city's work: the work list, one application's review picture, the deadline."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S, StateChange, Submission
from duixian.applications.selectors import application_verdict, applications_for_city, latest_submission
from duixian.core import clock, listing, memos, workdays
from duixian.core.compiled import CompiledQuery, CompiledRows
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


class WorklistRow:
    """A row of the work list as the page shows it (what review/templatetags/worklist.py reads of
    an application, with the same labels), read without building an Application."""

    __slots__ = ("pk", *WORKLIST_COLUMNS, "organisation_name", "snapshot_status")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    @property
    def state_label(self) -> str:
        return S(self.state).label

    @property
    def clause_label(self) -> str:
        return policy_bridge.clause_label(self.clause, self.application_type, self.batch_id)


def _worklist_values(city_code: str, batch_id: str = "", state: str = "") -> QuerySet:
    return worklist(city_code, batch_id=batch_id, state=state).values_list(*WorklistRow.__slots__)


_CITY, _BATCH, _STATE = "\x00worklist-city", "\x00worklist-batch", "\x00worklist-state"
# The list without a clause or words to search, by whether a batch and a state are given: compiled
# once per process, each page of it one query with the page's LIMIT and OFFSET.
_WORKLIST_ROWS = {
    (True, True): CompiledRows(Application, _worklist_values, (_CITY, _BATCH, _STATE)),
    (True, False): CompiledRows(Application, lambda city, batch: _worklist_values(city, batch), (_CITY, _BATCH)),
    (False, True): CompiledRows(Application, lambda city, state: _worklist_values(city, state=state),
                                (_CITY, _STATE)),
    (False, False): CompiledRows(Application, lambda city: _worklist_values(city), (_CITY,)),
}


class WorklistRows:
    """`worklist(city_code, batch_id=, state=)` for the paginator, `count` rows long (the state
    counts say how many): a slice is one query compiled once, its rows WorklistRow, not
    Application objects (issue 22: the ORM's compiling and 50 instances were most of the list's
    cost)."""

    ordered = True

    def __init__(self, city_code: str, *, batch_id: str = "", state: str = "", count: int):
        self.query = _WORKLIST_ROWS[bool(batch_id), bool(state)]
        self.values = tuple(v for v in (city_code, batch_id, state) if v)
        self.length = count

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("WorklistRows is read a page at a time (a slice)")
        start, stop, _step = index.indices(self.length)
        if stop <= start:
            return []
        return [WorklistRow(*row) for row in self.query.all(*self.values, limit=stop - start, offset=start)]


def worklist_items(city_code: str, *, batch_id: str = "", clause: str = "", state: str = "", text: str = "",
                   count: int | None = None):
    """What the work list pages through: without a clause or words, and with `count` known, the
    compiled rows (WorklistRows); otherwise the queryset of `worklist`."""
    if clause or text or count is None:
        return worklist(city_code, batch_id=batch_id, clause=clause, state=state, text=text)
    return WorklistRows(city_code, batch_id=batch_id, state=state, count=count)


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


def _state_counts(city_code: str, batch_id: str = "") -> QuerySet:
    return applications_for_city(city_code, batch_id).order_by().values_list("state").annotate(n=Count("pk"))


_STATE_COUNTS = CompiledRows(Application, _state_counts, ("\x00counts-city",))
_STATE_COUNTS_IN_BATCH = CompiledRows(Application, _state_counts, ("\x00counts-city", "\x00counts-batch"))


def state_counts(city_code: str, batch_id: str = "") -> dict[str, int]:
    """{state: applications} of the city's submitted applications (of one batch when given),
    through a query compiled once per process (the work list and the dashboard ask it)."""
    rows = _STATE_COUNTS_IN_BATCH.all(city_code, batch_id) if batch_id else _STATE_COUNTS.all(city_code)
    return dict(rows)


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


# The deadline's words per batch and language, and the time left per day (a few batches, two
# languages): the same for every review page of a batch on one day (issue 22).
_DEADLINE_WORDS: memos.TextMemo = memos.text_memo(32)
_TIME_LEFT: memos.TextMemo = memos.text_memo(64)


def city_deadline(moment=None, pack=None) -> Deadline:
    """The city review deadline of `pack`'s batch (the default batch's without one)."""
    pack = pack or policy_bridge.get_pack()
    moment = moment or clock.now()
    deadline = pack.city_review_deadline
    sentence = pack.city_review_expiry_sentence
    key = (id(pack), deadline, sentence, translation.get_language())
    words = _DEADLINE_WORDS.get(key)
    if words is None or words[0] is not pack:
        words = _DEADLINE_WORDS.put(key, (pack, policy_bridge.format_moment(deadline), pack.cite(sentence),
                                           pack.sentence(sentence).text if sentence else ""))
    _pack, text, citation, rule = words
    return Deadline(deadline, text, _time_left(moment, deadline), citation, rule)


def _time_left(moment, deadline) -> workdays.TimeLeft:
    """workdays.time_left, which depends only on whether the deadline has passed and on the day."""
    key = (deadline, moment >= deadline, moment.astimezone(clock.SHANGHAI).date())
    left = _TIME_LEFT.get(key)
    if left is None:
        left = _TIME_LEFT.put(key, workdays.time_left(moment, deadline))
    return left


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
