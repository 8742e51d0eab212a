"""The city's writes: checklist results, the three decisions, the contact line, the deadline sweep.

Decisions go through the applications workflow (`application_transition`), which checks the
clerk's city, the state and the city deadline inside a row lock; nothing here writes
Application.state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from duixian import authz
from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.workflow import TransitionConflict, TransitionError, application_transition, can_fire
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.review.models import CheckResult, ChecklistResult, CityContact

log = logging.getLogger(__name__)

CITY_ACTIONS = ("recommend", "return", "not_recommend")


class ReviewError(DomainError):
    """A refused review step, with the Chinese message the reviewer sees."""


def checklist_save(app: Application, results: dict[str, tuple[str, str]], *, user, request=None) -> int:
    """Save {item id: (result, note)} for the clause's checklist; returns how many items changed.

    Allowed while the city may still act on the application (submitted, before the deadline).
    """
    allowed, reason = authz.check(user, "review.application", app)
    if not allowed:
        raise ReviewError(reason)
    open_, why = can_fire(user, app, "recommend")
    if not open_:
        raise ReviewError(_("不能再修改审核清单：%(why)s") % {"why": why})
    known = {item.id for item in policy_bridge.application_pack(app).checklist(int(app.clause))}
    unknown = sorted(set(results) - known)
    if unknown:
        raise ReviewError(_("未知的审核项目：%(items)s。") % {"items": _("、").join(unknown)})
    valid = set(CheckResult.values) | {""}
    moment = clock.now()
    changed = {}
    with transaction.atomic():
        existing = {r.item_id: r for r in ChecklistResult.objects.select_for_update().filter(application=app)}
        for item_id, (result, note) in results.items():
            result, note = (result or "").strip(), (note or "").strip()
            if result not in valid:
                raise ReviewError(_("审核结果无效：%(result)s") % {"result": result})
            row = existing.get(item_id)
            if row and (row.result, row.note) == (result, note):
                continue
            if row is None and not result and not note:
                continue
            ChecklistResult.objects.update_or_create(
                application=app, item_id=item_id,
                defaults={"result": result, "note": note, "updated_by": user, "updated_at": moment},
            )
            changed[item_id] = result
        if changed:
            audit_record("review.checklist_save", user=user, request=request, obj=app,
                         detail={"reference": app.reference or "", "items": changed})
    return len(changed)


def return_reasons_from_checklist(app: Application, rows=None) -> dict[str, str]:
    """Draft per-item return reasons: the notes of items the clerk marked 需补正 or 不符合; from
    `rows` (the page's selectors.checklist_rows, the saved results already read) when given."""
    marked = (CheckResult.CORRECT, CheckResult.FAIL)
    if rows is not None:
        return {r.id: r.note for r in rows if r.result in marked and r.note}
    rows = ChecklistResult.objects.filter(application=app, result__in=marked)
    return {r.item_id: r.note for r in rows if r.note}


def review_decide(app: Application, action: str, *, user, reason: str = "", item_reasons: dict | None = None,
                  expected_state: str | None = None, request=None) -> Application:
    """Recommend, return for correction, or not recommend, through the workflow.

    Raises TransitionConflict when another clerk acted first (its message says who and when),
    TransitionError for any other refusal; both are audited as refused.
    """
    if action not in CITY_ACTIONS:
        raise TransitionError(_("未知的操作。"))
    allowed, why = authz.check(user, "review.application", app)
    if not allowed:
        raise TransitionError(why)
    try:
        return application_transition(app, action, user, reason=reason, item_reasons=item_reasons or {},
                                      expected_state=expected_state or app.state, request=request)
    except TransitionError as exc:
        audit_record(f"application.{action}", user=user, request=request, obj=app, outcome="refused",
                     detail={"error": exc.message, "conflict": isinstance(exc, TransitionConflict)})
        raise


def city_contact_save(city_code: str, *, name: str, phone: str, user, request=None) -> CityContact:
    allowed, reason = authz.check(user, "review.worklist")
    if not allowed or user.city_code != city_code:
        raise ReviewError(reason or _("只能维护本市的联系人。"))
    with transaction.atomic():  # the contact and its audit row, or neither
        row, _created = CityContact.objects.update_or_create(
            city_code=city_code, defaults={"contact_name": name.strip(), "contact_phone": phone.strip(), "updated_by": user},
        )
        audit_record("review.contact_save", user=user, request=request, object_type="review.citycontact",
                     object_id=row.pk, detail={"city_code": city_code})
    return row


# ---- the deadline sweep ---------------------------------------------------------------------

EXPIRING = (S.SUBMITTED, S.RETURNED)


@dataclass
class SweepResult:
    ran: bool
    message: str
    expired: list[str] = field(default_factory=list)  # references
    by_city: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # moved by someone else meanwhile


def _expiring_past_deadline(moment):
    """What is still submitted or returned in the batches whose city deadline has passed at
    `moment` (an application of a batch no version carries goes by the default batch, as
    pack_of does), or None when no batch's deadline has passed."""
    from django.db.models import Q

    from duixian.policy.active import batches

    packs = batches()
    due = [p.batch_id for p in packs if moment >= p.city_review_deadline]
    if not due:
        return None
    which = Q(batch_id__in=due)
    if moment >= policy_bridge.get_pack().city_review_deadline:
        which |= ~Q(batch_id__in=[p.batch_id for p in packs])
    return Application.objects.filter(which, state__in=EXPIRING)


def deadline_sweep(*, request=None) -> SweepResult:
    """After a batch's city deadline, mark what is still submitted or returned in that batch as
    expired (逾期); each batch by its own deadline.

    Idempotent: a second run finds nothing left to mark and changes nothing. Before any batch's
    deadline it does nothing and says so. Each application goes through the workflow's `expire`
    transition (its own row lock, history, audit event and notification to the applicant);
    the province users get one summary notification per run that expired anything.
    """
    moment = clock.now()
    pending = _expiring_past_deadline(moment)
    if pending is None:
        from duixian.policy.active import batches

        first = min(p.city_review_deadline for p in batches())  # the first deadline any open batch reaches
        deadline_text = policy_bridge.format_moment(first, language="zh-hans")
        return SweepResult(False, f"市级审核推荐截止时间（{deadline_text}）未到，未做任何处理。")
    result = SweepResult(True, "")
    deadlines, citations = [], []
    for app in pending.order_by("city_code", "pk").iterator():
        pack = policy_bridge.application_pack(app)
        deadline_text = policy_bridge.format_moment(pack.city_review_deadline,
                                                     language="zh-hans")  # a stored reason, in Chinese
        citation = policy_bridge.cited(pack, pack.city_review_expiry_sentence, language="zh-hans")
        try:
            application_transition(app, "expire", None, expected_state=app.state,
                                   reason=f"市级审核推荐截止（{deadline_text}）时仍未完成审核或补正{citation}。")
        except TransitionError as exc:  # another process moved it on first, or it is no longer open
            result.skipped += 1
            log.info("sweep skipped %s: %s", app.pk, exc.message)
            continue
        result.expired.append(app.reference or str(app.pk))
        result.by_city[app.city_code] = result.by_city.get(app.city_code, 0) + 1
        deadlines += [deadline_text] if deadline_text not in deadlines else []
        citations += [citation] if citation not in citations else []
    n = len(result.expired)
    result.message = (f"已将 {n} 件申报标记为逾期。" if n else "没有需要标记逾期的申报（已全部处理）。")
    audit_record("review.deadline_sweep", request=request, object_type="review.sweep",
                 username="system", detail={"expired": n, "by_city": result.by_city, "skipped": result.skipped})
    if n:
        _notify_province(result, "、".join(deadlines), "".join(citations))
    return result


def sweep_due() -> bool:
    """The platform clock has reached a batch's city deadline and something of that batch is still open."""
    pending = _expiring_past_deadline(clock.now())
    return pending is not None and pending.exists()


def sweep_if_due() -> SweepResult | None:
    """Run the deadline sweep when it is due; nothing (and no query beyond the clock) before.

    Called every few seconds by each worker's housekeeping (duixian.ops.housekeeping), right
    after the province moves the demo clock, and by the city review pages before they show
    states: whichever comes first marks what the deadline left open, the others find nothing
    left. The real clock plays no part: in the demo the demo clock's deadline counts.
    """
    if not sweep_due():
        return None
    return deadline_sweep()


def sweep_after_clock_move() -> str | None:
    """The deadline sweep as a clock sweep (duixian.core.clock_sweeps): what it marked, said."""
    swept = sweep_if_due()
    if swept is None or not swept.expired:
        return None
    return _("已过市级审核推荐截止时间：%(count)s 件仍待审核或退回未补正的申报已标记为逾期。") % {"count": len(swept.expired)}


def _notify_province(result: SweepResult, deadline_text: str, citations: str) -> None:
    from django.urls import reverse

    from duixian.accounts.models import User
    from duixian.applications.notifications import notify
    from duixian.orgs.selectors import city_name

    lines = "；".join(f"{city_name(code) or code} {n} 件" for code, n in sorted(result.by_city.items()))
    for user in User.objects.filter(role=Role.PROVINCE, is_active=True):
        notify(user, "review.deadline_sweep", title=f"市级审核推荐已截止：{len(result.expired)} 件申报逾期",
               body=f"截至{deadline_text}仍未完成审核或补正的申报已标记为逾期{citations}。{lines}。",
               link=reverse("review:expired"))
