"""3b. One decision on several applications at once: all are decided, or none."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from duixian.audit.services import audit_record
from duixian.decisions.services.approval import decision_approve, decision_reject
from duixian.decisions.services.base import (
    DecisionError,
    REJECT_REASON_MAX,
    WAIVER_MAX,
    clean_reason,
    require_province,
)


@dataclass
class BatchLine:
    application_id: int
    label: str
    ok: bool
    message: str


@dataclass
class BatchReport:
    action: str
    applied: bool
    lines: list[BatchLine] = field(default_factory=list)

    @property
    def failures(self) -> list[BatchLine]:
        return [line for line in self.lines if not line.ok]


class _BatchFailed(Exception):
    pass


def decisions_batch(*, action: str, items: list[dict], reason: str = "", without_panel_reason: str = "", user,
                    request=None) -> BatchReport:
    """One action on several applications: every one is checked, and either all are decided or none.

    `items`: [{"application": Application, "amount": "24.00"}] for approve (each its own amount),
    [{"application": Application}] for reject (one reason for all).
    """
    require_province(user)
    if action not in ("approve", "reject"):
        raise DecisionError(_("未知的批量操作。"))
    if not items:
        raise DecisionError(_("请至少选择一个申报。"))
    # One message for the bar's text rather than the same refusal on every line.
    if action == "reject":
        reason = clean_reason(reason, "reason", REJECT_REASON_MAX)
    else:
        without_panel_reason = clean_reason(without_panel_reason, "without_panel_reason", WAIVER_MAX)
    batch = secrets.token_hex(8)
    report = BatchReport(action, applied=False)
    try:
        with transaction.atomic():
            for item in items:
                app = item["application"]
                label = f"{app.reference or app.pk} {app.project_name}"
                try:
                    with transaction.atomic():
                        if action == "approve":
                            decision = decision_approve(app, amount=item.get("amount"), user=user, request=request,
                                                        batch=batch, without_panel_reason=without_panel_reason)
                            message = _("评审通过，核定金额 %(amount)s 万元") % {"amount": decision.amount_wan}
                        else:
                            decision_reject(app, reason=reason, user=user, request=request, batch=batch)
                            message = _("评审不通过")
                    report.lines.append(BatchLine(app.pk, label, True, message))
                except DecisionError as exc:
                    report.lines.append(BatchLine(app.pk, label, False, exc.message))
            if report.failures:
                raise _BatchFailed
    except _BatchFailed:
        for line in report.lines:
            if line.ok:
                line.ok, line.message = True, _("检查通过（%(message)s），但因其他申报未通过检查，本次未执行") % {"message": line.message}
        audit_record(f"decisions.batch_{action}", user=user, request=request, outcome="refused", detail={
            "batch": batch, "applications": [line.application_id for line in report.lines],
            "failures": {str(line.application_id): line.message for line in report.failures},
        })
        return report
    report.applied = True
    audit_record(f"decisions.batch_{action}", user=user, request=request, detail={
        "batch": batch, "applications": [line.application_id for line in report.lines]})
    return report
