"""The application lifecycle, declared once as data, and the one function that moves it.

    draft ─submit→ submitted ─(city) recommend→ recommended ─(province) approve→ approved ─publish→ published ─pay→ paid
                                                                                                  └ pay_part→ partly_paid ─pay→ paid
                       │  ├──(city) return──→ returned ─resubmit→ submitted            └ reject→ rejected
                       │  ├──(city) not_recommend→ not_recommended
                       │  └──expire (after the city deadline)→ expired  (returned, too)
                       └──withdraw (before the city acts)→ withdrawn

Each Transition names the states it leaves, the state it reaches, who may fire it (role and
the object scope: the application's organisation, its city, the province) and when (a window
from the pack, checked against duixian.core.clock.now() in Asia/Shanghai). Pages ask
`available_actions(user, application)`; every state change goes through
`application_transition(...)`, which locks the row, re-checks everything, and records a
StateChange and an audit event. Nothing else writes Application.state.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Callable

from django.db import connection, transaction
from django.utils.translation import gettext, gettext_lazy as _

from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S, StateChange
from duixian.applications.selectors import latest_submission
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.compiled import CompiledQuery
from duixian.core.errors import DomainError
from duixian.policy.verdict import Status, Verdict

Decision = tuple[bool, str]


class TransitionError(DomainError):
    """A refused transition; `message` is Chinese and meant for the person who tried."""


class TransitionConflict(TransitionError):
    """Someone else changed the application first (two clerks, a double click, a stale page)."""


# ---- windows -------------------------------------------------------------------------------
# Each answers (open, why not) at `moment` for `application` under `pack`. All pack moments are
# aware datetimes; comparisons are between instants, so the zone of `moment` does not matter.


def _application_window(pack, moment: datetime, application) -> Decision:
    if moment < pack.application_open:
        return False, gettext("申报系统将于%(moment)s开放，届时方可提交。") % {"moment": policy_bridge.format_moment(pack.application_open)}
    if moment >= pack.application_close:
        return False, gettext("申报系统已于%(moment)s关闭，不能再提交申报。如有疑问请联系所属地市归口管理部门。") % {
            "moment": policy_bridge.format_moment(pack.application_close)}
    return True, ""


def _before_city_deadline(pack, moment: datetime, application) -> Decision:
    if moment >= pack.city_review_deadline:
        return False, gettext("市级审核推荐已于%(moment)s截止。") % {"moment": policy_bridge.format_moment(pack.city_review_deadline)}
    return True, ""


def _resubmission_window(pack, moment: datetime, application) -> Decision:
    if moment >= pack.city_review_deadline:
        return False, gettext("补正材料须在市级审核推荐截止（%(moment)s）前重新提交，现已逾期，不能再提交。") % {
            "moment": policy_bridge.format_moment(pack.city_review_deadline)}
    return True, ""


def _after_city_deadline(pack, moment: datetime, application) -> Decision:
    if moment < pack.city_review_deadline:
        return False, gettext("市级审核推荐截止（%(moment)s）前不能标记为逾期。") % {"moment": policy_bridge.format_moment(pack.city_review_deadline)}
    return True, ""


WINDOWS: dict[str, Callable] = {
    "application": _application_window,
    "before_city_deadline": _before_city_deadline,
    "resubmission": _resubmission_window,
    "after_city_deadline": _after_city_deadline,
}


# ---- scopes --------------------------------------------------------------------------------


def _in_organisation(user, application) -> bool:
    return user.role == Role.APPLICANT and user.organisation_id == application.organisation_id


def _in_city(user, application) -> bool:
    return user.role == Role.CITY_CLERK and bool(user.city_code) and user.city_code == application.city_code


def _province(user, application) -> bool:
    return user.role == Role.PROVINCE


SCOPES: dict[str, Callable] = {"organisation": _in_organisation, "city": _in_city, "province": _province}
SCOPE_REFUSALS = {
    "organisation": _("只有本单位的申报用户可以进行此操作。"),
    "city": _("只有该单位所属地市的归口管理部门可以进行此操作。"),
    "province": _("只有省科技厅可以进行此操作。"),
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    scope: str  # organisation | city | province; `system` transitions may also run with no user
    window: str | None = None
    reason: str = "optional"  # optional | required | override_if_ineligible | per_item
    style: str = ""  # how a button looks: "" | secondary | danger
    system: bool = False
    done_phrase: str = ""  # what the history says happened, e.g. 推荐


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", _("提交申报"), frozenset({S.DRAFT}), S.SUBMITTED, "organisation", "application",
                   done_phrase=_("提交")),
        Transition("resubmit", _("重新提交"), frozenset({S.RETURNED}), S.SUBMITTED, "organisation", "resubmission",
                   done_phrase=_("补正后重新提交")),
        Transition("withdraw", _("撤回申报"), frozenset({S.SUBMITTED}), S.WITHDRAWN, "organisation",
                   "before_city_deadline", style="danger", done_phrase=_("撤回")),
        Transition("recommend", _("推荐"), frozenset({S.SUBMITTED}), S.RECOMMENDED, "city", "before_city_deadline",
                   reason="override_if_ineligible", done_phrase=_("推荐")),
        Transition("return", _("退回补正"), frozenset({S.SUBMITTED}), S.RETURNED, "city", "before_city_deadline",
                   reason="per_item", style="secondary", done_phrase=_("退回补正")),
        Transition("not_recommend", _("不予推荐"), frozenset({S.SUBMITTED}), S.NOT_RECOMMENDED, "city",
                   "before_city_deadline", reason="required", style="danger", done_phrase=_("不予推荐")),
        Transition("expire", _("标记逾期"), frozenset({S.SUBMITTED, S.RETURNED}), S.EXPIRED, "province",
                   "after_city_deadline", system=True, done_phrase=_("标记为逾期")),
        Transition("approve", _("评审通过"), frozenset({S.RECOMMENDED}), S.APPROVED, "province",
                   done_phrase=_("评审通过")),
        Transition("reject", _("评审不通过"), frozenset({S.RECOMMENDED}), S.REJECTED, "province",
                   reason="required", style="danger", done_phrase=_("评审不通过")),
        Transition("publish", _("公示"), frozenset({S.APPROVED}), S.PUBLISHED, "province", done_phrase=_("公示")),
        # A payment short of the approved amount is 部分拨付; the one that completes it is 确认拨付.
        Transition("pay_part", _("部分拨付"), frozenset({S.PUBLISHED}), S.PARTLY_PAID, "province",
                   done_phrase=_("部分拨付")),
        Transition("pay", _("确认拨付"), frozenset({S.PUBLISHED, S.PARTLY_PAID}), S.PAID, "province",
                   done_phrase=_("确认拨付")),
    ]
}

# States in which the city has acted or the matter is closed: the applicant can no longer withdraw.
CITY_ACTED = frozenset({S.RETURNED, S.RECOMMENDED, S.NOT_RECOMMENDED})


def _actor_allowed(t: Transition, user, application) -> Decision:
    if user is None:
        return (True, "") if t.system else (False, gettext("请先登录。"))
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, gettext("请先登录。")
    if not SCOPES[t.scope](user, application):
        return False, str(SCOPE_REFUSALS[t.scope])
    if t.scope == "organisation" and not t.system:
        # Submit, resubmit, withdraw: the organisation's editors, not its read-only 查看人.
        from duixian import authz

        return tuple(authz.check(user, "application.create"))
    return True, ""


def can_fire(user, application, action: str, *, moment: datetime | None = None, pack=None) -> Decision:
    """Whether `user` may fire `action` on `application` now, and why not."""
    t = TRANSITIONS.get(action)
    if t is None:
        return False, gettext("未知的操作。")
    if application.state not in t.sources:
        return False, gettext("申报当前状态为“%(state)s”，不能%(action)s。") % {"state": application.state_label, "action": t.label}
    allowed, reason = _actor_allowed(t, user, application)
    if not allowed:
        return False, reason
    return in_window(action, application, moment=moment, pack=pack)


def in_window(action: str, application=None, *, moment: datetime | None = None, pack=None) -> Decision:
    """Whether `action`'s time window is open at `moment`, in the application's batch (the submit
    and resubmit windows do not depend on the application otherwise: without one, the default
    batch's windows)."""
    t = TRANSITIONS[action]
    if not t.window:
        return True, ""
    pack = pack or (policy_bridge.application_pack(application) if application is not None else policy_bridge.get_pack())
    return WINDOWS[t.window](pack, moment or clock.now(), application)


def submit_action(state: str) -> str:
    """Which transition the applicant's submit button fires from `state`."""
    return "resubmit" if state == S.RETURNED else "submit"


def available_actions(user, application) -> list[Transition]:
    """The transitions this user may fire on this application at this moment."""
    pack, moment = policy_bridge.application_pack(application), clock.now()
    return [
        t for t in TRANSITIONS.values() if can_fire(user, application, t.action, moment=moment, pack=pack)[0]
    ]


# ---- performing a transition ----------------------------------------------------------------


def needs_override_reason(application) -> bool:
    """Recommending an application that its submission's verdict found ineligible needs a reason
    (why the city does not follow the system's pre-check)."""
    snapshot = latest_submission(application)
    verdict = Verdict.from_json(snapshot.verdict) if snapshot else None
    return verdict is not None and verdict.status is Status.INELIGIBLE


def _check_reason(t: Transition, application, reason: str, item_reasons: dict) -> None:
    if t.reason == "required" and not reason.strip():
        raise TransitionError(gettext("%(action)s须填写理由。") % {"action": t.label})
    if t.reason == "override_if_ineligible" and needs_override_reason(application) and not reason.strip():
        raise TransitionError(gettext("系统预审结果为“不符合条件”，推荐须填写推荐理由（说明为何不采纳系统预审结果）。"))
    if t.reason == "per_item":
        cleaned = {k: v.strip() for k, v in (item_reasons or {}).items() if v and v.strip()}
        if not cleaned:
            raise TransitionError(gettext("退回补正须至少对一个审核项目写明退回理由。"))
        known = {item.id for item in policy_bridge.checklist_items(application.clause, policy_bridge.application_pack(application))}
        unknown = sorted(set(cleaned) - known - {"other"})
        if unknown:
            raise TransitionError(gettext("未知的审核项目：%(items)s。") % {"items": gettext("、").join(unknown)})


def _conflict_message(locked: Application, expected: str, t: Transition) -> str:
    last = locked.history.order_by("-at", "-pk").first()
    if last is None:
        return gettext("该申报当前状态为“%(state)s”，不能%(action)s。") % {"state": locked.state_label, "action": t.label}
    done = TRANSITIONS[last.action].done_phrase if last.action in TRANSITIONS else last.action
    when = policy_bridge.format_moment(last.at)
    who = last.actor_label or gettext("系统")
    return gettext("该申报已由%(who)s于%(when)s%(done)s，当前状态为“%(state)s”，您的“%(action)s”操作未执行。请刷新页面查看最新情况。") % {
        "who": who, "when": when, "done": done, "state": locked.state_label, "action": t.label}


def _actor_label(user) -> str:
    """Who acted, as the history shows it (StateChange.actor_label), cut to fit its column: a user
    name can be as long as registration takes (150) with no 姓名, which PostgreSQL refused, failing
    the submission or decision. The audit trail keeps the whole user name."""
    if user is None:
        return "系统"
    name = getattr(user, "full_name", "") or user.username
    if user.role == Role.CITY_CLERK:
        from duixian.codes import divisions

        city = divisions.city_by_code(user.city_code) if hasattr(divisions, "city_by_code") else None
        label = f"{getattr(city, 'name', user.city_code)}科技局 {name}"
    elif user.role == Role.PROVINCE:
        label = f"省科技厅 {name}"
    else:
        label = name
    limit = StateChange._meta.get_field("actor_label").max_length
    return label if len(label) <= limit else f"{label[:limit - 1]}…"


# The row every transition locks, with its organisation: compiled once per process
# (duixian.core.compiled); the worker locks one for every press it checks.
_LOCKED_WITH_ORGANISATION = CompiledQuery(Application, lambda pk: Application.objects.select_related("organisation")
                                          .select_for_update(of=("self",)).filter(pk=pk), (-7_310_561,))


@cache
def _update_statement(vendor: str, names: tuple[str, ...]) -> str:
    q = connection.ops.quote_name
    meta = Application._meta
    sets = ", ".join(f"{q(meta.get_field(name).column)} = %s" for name in names)
    where = " AND ".join(f"{q(column)} = %s" for column in (meta.pk.column, meta.get_field("version").column,
                                                             meta.get_field("state").column))
    return f"UPDATE {q(meta.db_table)} SET {sets} WHERE {where}"


def _update_if_unchanged(locked: Application, from_state: str, values: dict) -> int:
    """`Application.objects.filter(pk=…, version=…, state=from_state).update(**values)`, the rows it
    changed (1, or 0 when a writer slipped in), through a statement written once per process and
    set of fields; values are prepared for the database as the ORM's UPDATE prepares them. A value
    the ORM would resolve (an expression, a related object) goes through the ORM."""
    fields = [Application._meta.get_field(name) for name in values]
    if any(f.is_relation or hasattr(f, "get_placeholder") or hasattr(v, "resolve_expression")
           for f, v in zip(fields, values.values())):
        return Application.objects.filter(pk=locked.pk, version=locked.version, state=from_state).update(**values)
    params = [f.get_db_prep_save(v, connection=connection) for f, v in zip(fields, values.values())]
    with connection.cursor() as cursor:
        cursor.execute(_update_statement(connection.vendor, tuple(values)), [*params, locked.pk, locked.version,
                                                                             from_state])
        return cursor.rowcount


def application_transition(
    application: Application,
    action: str,
    user,
    *,
    reason: str = "",
    item_reasons: dict | None = None,
    request=None,
    expected_state: str | None = None,
    before: Callable | None = None,
    at: datetime | None = None,
    ip: str = "",
) -> Application:
    """Fire `action`: lock the row, re-check state, actor and window, apply, record, notify.

    `expected_state` is the state the person saw (a hidden field); when the row has moved on
    since, they are told who did what instead of acting on a stale page. `before(locked, now)`
    runs inside the lock after the checks (submission uses it to snapshot and to refuse an
    incomplete application); it may raise TransitionError, and returns the names of the fields
    it set on `locked`, which are written with the new state in one UPDATE. `at` is the moment
    the action is judged at (a submission receipt's arrival; default now), `ip` the client's
    address when there is no request (a receipt checked by a worker).
    """
    t = TRANSITIONS.get(action)
    if t is None:
        raise TransitionError(gettext("未知的操作。"))
    seen_state = expected_state or application.state
    pack = policy_bridge.application_pack(application)
    with transaction.atomic():
        locked = _LOCKED_WITH_ORGANISATION.first(application.pk)
        if locked is None:
            raise Application.DoesNotExist("Application matching query does not exist.")
        if locked.state != seen_state:
            raise TransitionConflict(_conflict_message(locked, seen_state, t))
        moment = at or clock.now()
        allowed, why = can_fire(user, locked, action, moment=moment, pack=pack)
        if not allowed:
            raise TransitionError(why)
        _check_reason(t, locked, reason, item_reasons or {})
        changed = list(before(locked, moment) or []) if before is not None else []
        from_state = locked.state
        locked.updated_at = clock.now()
        values = {name: getattr(locked, name) for name in changed}
        updated = _update_if_unchanged(locked, from_state, {
            "state": t.target, "version": locked.version + 1, "updated_at": locked.updated_at, **values})
        if updated != 1:  # a writer slipped in without the row lock (SQLite ignores FOR UPDATE)
            locked.refresh_from_db()
            raise TransitionConflict(_conflict_message(locked, seen_state, t))
        locked.state, locked.version = t.target, locked.version + 1
        change = StateChange.objects.create(
            application=locked, action=action, from_state=from_state, to_state=t.target, actor=user,
            actor_label=_actor_label(user), at=moment, reason=reason.strip(),
            item_reasons={k: v.strip() for k, v in (item_reasons or {}).items() if v and v.strip()},
        )
        audit_record(
            f"application.{action}", user=user, request=request, ip=ip, obj=locked,
            detail={"from": from_state, "to": t.target, "reference": locked.reference or "",
                    "reason": reason.strip(), "item_reasons": change.item_reasons},
        )
        from duixian.applications.notifications import notify_transition

        notify_transition(locked, change)
    for field in Application._meta.concrete_fields:  # the caller's object shows the new state too
        setattr(application, field.attname, getattr(locked, field.attname))
    return locked


def new_token() -> str:
    return secrets.token_urlsafe(24)
