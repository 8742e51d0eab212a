"""5. Money: 资金下达, payment and recovery, after the 公示 is final."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.notifications import register_wording, worded
from duixian.applications.workflow import TransitionError, application_transition
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.decisions import selectors
from duixian.decisions.models import DecisionOutcome, FundingKind, FundingRecord
from duixian.decisions.services.base import (
    DecisionError,
    fmt_day,
    notify_applicant,
    parse_amount,
    require_province,
)
from duixian.decisions.services.objections import upheld_objection


ALLOCATED = register_wording("decisions.allocation", gettext_noop("兑现资金已下达：{name}"),
                             gettext_noop("{day}下达 {amount} 万元，文号 {voucher}。"))
PAID = register_wording("decisions.payment", gettext_noop("兑现资金已拨付：{name}"),
                        gettext_noop("{day}拨付 {amount} 万元，凭证号 {voucher}。"))
RECOVERED = register_wording("decisions.recovery", gettext_noop("兑现资金追回：{name}"),
                             gettext_noop("{day}追回 {amount} 万元，凭证号 {voucher}。原因：{reason}"))


def funding_record(application: Application, *, kind: str, on_date: dt.date, amount, voucher: str, reason: str = "",
                   user, request=None) -> FundingRecord:
    """资金下达 and payment after the 公示 is final; a recovery (追回) of paid money with its reason."""
    require_province(user)
    if kind not in FundingKind.values:
        raise DecisionError(_("未知的资金记录类型。"), "kind")
    amount = parse_amount(amount)
    voucher = (voucher or "").strip()
    if not voucher:
        raise DecisionError(_("请填写凭证号或文号。"), "voucher")
    reason = (reason or "").strip()
    if on_date > clock.local_now().date():
        raise DecisionError(_("日期不能晚于今天。"), "on_date")
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        decision = getattr(app, "decision", None)
        if decision is None or decision.outcome != DecisionOutcome.APPROVED:
            raise DecisionError(_("只有评审通过并公示的申报可以登记资金。"))
        item = getattr(app, "publication_item", None)
        if app.state not in (S.PUBLISHED, S.PARTLY_PAID, S.PAID) or item is None:
            raise DecisionError(_("申报须先公示（当前状态：%(state)s）。") % {"state": app.state_label})
        upheld = upheld_objection(app) if kind in (FundingKind.ALLOCATION, FundingKind.PAYMENT) else None
        if upheld is not None:
            raise DecisionError(_("该项目的公示异议（受理编号 %(reference)s）经核实成立，不能登记资金下达和拨付。") % {
                "reference": upheld.reference})
        if kind in (FundingKind.ALLOCATION, FundingKind.PAYMENT) and clock.now() < item.publication.ends_at:
            raise DecisionError(_("公示期至%(day)s止，公示期结束后方可登记资金下达和拨付。") % {
                "day": fmt_day(item.publication.last_day)})
        if kind in (FundingKind.ALLOCATION, FundingKind.PAYMENT) and on_date <= item.publication.last_day:
            # The record's own date says the same: no money moved before the 公示 ended.
            raise DecisionError(_("日期不能早于公示期结束后的 %(day)s（公示期至%(last)s止）。") % {
                "day": fmt_day(item.publication.last_day + dt.timedelta(days=1)),
                "last": fmt_day(item.publication.last_day)}, "on_date")
        repeat = app.funding.filter(kind=kind, voucher=voucher).order_by("pk").first()
        if repeat is not None:  # a double click, or the same voucher typed again: one record per voucher
            raise DecisionError(_("凭证号或文号 %(voucher)s 已登记（%(day)s %(kind)s %(amount)s 万元），不能重复登记。") % {
                "voucher": voucher, "day": fmt_day(repeat.on_date), "kind": repeat.get_kind_display(),
                "amount": repeat.amount_wan}, "voucher")
        totals = selectors.funding_totals(app)
        approved = decision.amount_wan
        if kind == FundingKind.ALLOCATION and totals["allocation"] + amount > approved:
            raise DecisionError(_("累计下达金额不能超过核定金额 %(approved)s 万元（已下达 %(done)s 万元）。") % {
                "approved": approved, "done": totals["allocation"]}, "amount")
        if kind == FundingKind.PAYMENT and totals["payment"] + amount > approved:
            raise DecisionError(_("累计拨付金额不能超过核定金额 %(approved)s 万元（已拨付 %(done)s 万元）。") % {
                "approved": approved, "done": totals["payment"]}, "amount")
        if kind == FundingKind.PAYMENT and totals["payment"] + amount > totals["allocation"]:
            # Money is paid out of what was allocated (资金下达): never more than that.
            raise DecisionError(_("累计拨付金额不能超过已下达金额 %(allocated)s 万元（已拨付 %(done)s 万元，本次 %(amount)s 万元）。"
                                  "请先登记资金下达。") % {
                "allocated": totals["allocation"], "done": totals["payment"], "amount": amount}, "amount")
        if kind == FundingKind.RECOVERY:
            if not reason:
                raise DecisionError(_("资金追回须填写追回原因。"), "reason")
            if totals["recovery"] + amount > totals["payment"]:
                raise DecisionError(_("追回金额不能超过已拨付金额 %(paid)s 万元（已追回 %(recovered)s 万元）。") % {
                    "paid": totals["payment"], "recovered": totals["recovery"]}, "amount")
        record = FundingRecord.objects.create(application=app, kind=kind, on_date=on_date, amount_wan=amount,
                                              voucher=voucher, reason=reason, recorded_by=user, recorded_at=clock.now())
        fired_pay = False
        paid = totals["payment"] + amount
        # 已兑现拨付 once the approved amount is paid in full; 部分拨付 until then.
        action = "pay" if paid >= approved else "pay_part"
        if kind == FundingKind.PAYMENT and (app.state == S.PUBLISHED or (app.state == S.PARTLY_PAID and action == "pay")):
            fired_pay = True  # the transition tells the applicant itself
            try:
                application_transition(app, action, user, request=request, expected_state=app.state,
                                       reason=f"拨付 {amount} 万元，凭证号 {voucher}（累计拨付 {paid} / 核定 {approved} 万元）")
            except TransitionError as exc:
                raise DecisionError(exc.message) from None
        audit_record(f"decisions.funding_{kind}", user=user, request=request, obj=app, detail={
            "record": record.pk, "date": on_date.isoformat(), "amount_wan": str(amount), "voucher": voucher,
            "reason": reason, "reference": app.reference or "",
        })
        # Stored in Chinese for every reader (the notifications page says it in the reader's language).
        values = {"name": app.project_name, "day": fmt_day(on_date, language="zh-hans"), "amount": amount,
                  "voucher": voucher, "reason": reason}
        if kind == FundingKind.ALLOCATION:
            notify_applicant(app, "decisions.allocation", *worded(ALLOCATED, **values))
        elif kind == FundingKind.PAYMENT and not fired_pay:
            notify_applicant(app, "decisions.payment", *worded(PAID, **values))
        elif kind == FundingKind.RECOVERY:
            notify_applicant(app, "decisions.recovery", *worded(RECOVERED, **values))
    return record
