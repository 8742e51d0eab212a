"""3. The province's decision on one recommended application: 评审通过 with an amount, or 不通过."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.workflow import TransitionError, application_transition
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.decisions import selectors
from duixian.decisions.models import Decision, DecisionOutcome
from duixian.decisions.services.base import (
    DecisionError,
    REJECT_REASON_MAX,
    WAIVER_MAX,
    clean_reason,
    parse_amount,
    require_province,
)
from duixian.policy.display import STATUS_LABELS
from duixian.policy.verdict import Outcome, Status, Verdict


def _approve_checks(application: Application, amount: Decimal) -> tuple[Verdict, Decimal | None]:
    verdict = selectors.current_verdict(application)
    if verdict.status is Status.EVALUATION_ONLY and amount != 0:
        # The status and where the notice says so come from the verdict (the pack's rule), not from here.
        cited = "、".join(dict.fromkeys(r.citation.text for r in verdict.rules if r.outcome is Outcome.FAIL and r.citation.text))
        raise DecisionError(
            _("预审结论为“%(status)s”（%(cited)s），核定金额只能为 0 万元（填写的是 %(amount)s 万元）。")
            % {"status": STATUS_LABELS[Status.EVALUATION_ONLY], "cited": cited, "amount": amount}, "amount")
    cap = selectors.decision_cap(application, verdict)
    if cap is not None and amount > cap:
        raise DecisionError(
            _("核定金额 %(amount)s 万元超过该申报按政策可兑现的上限 %(cap)s 万元，不能通过。") % {"amount": amount, "cap": cap},
            "amount")
    requested = application.amount_requested_wan
    if requested is not None and amount > requested:
        raise DecisionError(_("核定金额 %(amount)s 万元超过申报单位拟申请的 %(requested)s 万元。") % {
            "amount": amount, "requested": requested}, "amount")
    return verdict, cap


def panel_shortfall(application: Application, panel=None) -> str:
    """Why the expert panel's scores are not complete for this application, or "".

    A clause whose review is an expert 评比 (its batch's pack has a scoring sheet for it:
    `scoring_sheets`) is decided on the panel's scores: at least one expert assigned, and every
    assigned expert has scored.
    """
    if selectors.sheet_for(application) is None:
        return ""
    panel = panel or selectors.panel_result(application)
    if not panel.assignments:
        return _("该条款为专家评审（评比），但尚未分配专家，也没有专家评分。")
    waiting = len(panel.assignments) - panel.scored
    if waiting:
        return _("该条款为专家评审（评比），已分配的 %(n)s 名专家中还有 %(waiting)s 名未提交评分。") % {
            "n": len(panel.assignments), "waiting": waiting}
    return ""


def _not_recommended_message(application: Application) -> str:
    if application.state in (S.APPROVED, S.REJECTED, S.PUBLISHED, S.PARTLY_PAID, S.PAID):
        return _("该申报已作出决定（%(state)s），不能重复决定。") % {"state": application.state_label}
    return _("只能对市级已推荐的申报作出决定，该申报当前状态为“%(state)s”。") % {"state": application.state_label}


def decision_approve(application: Application, *, amount, user, request=None, batch: str = "",
                     expected_state: str | None = None, without_panel_reason: str = "") -> Decision:
    """Approve with an amount. A clause decided by an expert panel needs the panel's scores, or
    `without_panel_reason`: why the province decides without them (kept on the decision and audited)."""
    require_province(user)
    application.refresh_from_db()
    evaluation_only = selectors.current_verdict(application).status is Status.EVALUATION_ONLY
    amount = parse_amount(amount, _("核定金额"), allow_zero=evaluation_only)
    without_panel_reason = clean_reason(without_panel_reason, "without_panel_reason", WAIVER_MAX)
    if application.state != S.RECOMMENDED:
        raise DecisionError(_not_recommended_message(application))
    with transaction.atomic():
        verdict, cap = _approve_checks(application, amount)
        shortfall = panel_shortfall(application)
        waiver = (without_panel_reason or "").strip() if shortfall else ""
        if shortfall and not waiver:
            raise DecisionError(shortfall + _("须待专家评分完成后再作出评审通过的决定；确需不经专家评分决定的，"
                                              "请填写理由（将记录在案）。"), "without_panel_reason")
        try:
            application_transition(application, "approve", user, request=request,
                                   reason=f"核定兑现金额 {amount} 万元",
                                   expected_state=expected_state or S.RECOMMENDED)
        except TransitionError as exc:
            raise DecisionError(exc.message) from None
        decision = Decision.objects.create(application=application, batch_id=application.batch_id,
                                           outcome=DecisionOutcome.APPROVED, amount_wan=amount,
                                           cap_wan=cap, verdict=verdict.to_json(), batch=batch, decided_by=user,
                                           decided_at=clock.now(), panel_waiver=waiver)
        audit_record("decisions.approve", user=user, request=request, obj=application, detail={
            "reference": application.reference or "", "amount_wan": str(amount),
            "cap_wan": None if cap is None else str(cap), "verdict_status": verdict.status.value, "batch": batch,
            **({"panel_waived": waiver, "panel_assigned": application.expert_assignments.count(),
                "panel_scored": application.expert_assignments.filter(scored_at__isnull=False).count()}
               if waiver else {}),
        })
    return decision


def decision_reject(application: Application, *, reason: str, user, request=None, batch: str = "",
                    expected_state: str | None = None) -> Decision:
    require_province(user)
    reason = clean_reason(reason, "reason", REJECT_REASON_MAX)
    if not reason:
        raise DecisionError(_("评审不通过须填写理由。"), "reason")
    application.refresh_from_db()
    if application.state != S.RECOMMENDED:
        raise DecisionError(_not_recommended_message(application))
    with transaction.atomic():
        verdict = selectors.current_verdict(application)
        try:
            application_transition(application, "reject", user, request=request, reason=reason,
                                   expected_state=expected_state or S.RECOMMENDED)
        except TransitionError as exc:
            raise DecisionError(exc.message) from None
        decision = Decision.objects.create(application=application, batch_id=application.batch_id,
                                           outcome=DecisionOutcome.REJECTED, reason=reason,
                                           verdict=verdict.to_json(), batch=batch, decided_by=user, decided_at=clock.now())
        audit_record("decisions.reject", user=user, request=request, obj=application, detail={
            "reference": application.reference or "", "reason": reason, "batch": batch,
        })
    return decision
