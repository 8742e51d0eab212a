"""Writing for the province: receipts, panels, assignments, scores, decisions, 公示, objections, money.

Every function checks who acts and the state it acts on, raises DecisionError with a Chinese
message the views show as it is, records an audit event, and moves Application.state only
through duixian.applications.workflow.application_transition.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duixian.accounts.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.workflow import TransitionError, application_transition
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import DomainError
from duixian.core.stored_files import discard, save_checked
from duixian.core.text import has_control_characters
from duixian.core.uploads import IMAGES_AND_PDF, CheckedUpload, UploadRefused, check_upload
from duixian.core.workdays import add_working_days
from duixian.decisions import permissions, selectors
from duixian.decisions.masking import mask_contact
from duixian.decisions.models import (
    Assignment,
    ConflictDeclaration,
    Decision,
    DecisionOutcome,
    ExpertPanel,
    FundingKind,
    FundingRecord,
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    ObjectionStatus,
    PaperReceipt,
    Publication,
    PublicationItem,
)
from duixian.decisions.scoring import sheet_for
from duixian.orgs import divisions
from duixian.policy.verdict import Status, Verdict

CENT = Decimal("0.01")


class DecisionError(DomainError):
    """A refused decision step, with the Chinese message and the field it concerns."""


def _require_province(user) -> None:
    allowed, reason = permissions.can_manage(user)
    if not allowed:
        raise DecisionError(reason)


def _notify(application, event: str, title: str, body: str) -> None:
    try:
        from duixian.applications.notifications import notify
    except ImportError:  # pragma: no cover - the applications app ships it
        return
    from django.urls import reverse

    notify(application.organisation, event, title=title, body=body,
           link=reverse("applications:status", args=[application.pk]), application=application)


def fmt_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# Amount columns hold 12 digits, 2 of them decimals (Decision, FundingRecord, PublicationItem).
AMOUNT_DIGITS = 10


def parse_amount(value, label: str = "金额", *, allow_zero: bool = False) -> Decimal:
    """A positive amount in 万元 with at most two decimals, or a DecisionError saying why.
    `allow_zero`: 0 is the only amount of an evaluation-only park (五（一）4)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise DecisionError(f"{label}须为数字（单位：万元），如 24 或 24.50。", "amount") from None
    if not amount.is_finite():
        raise DecisionError(f"{label}须为数字（单位：万元），如 24 或 24.50。", "amount")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DecisionError(f"{label}须大于 0 万元。", "amount")
    if amount.adjusted() >= AMOUNT_DIGITS:  # 1e30 would not even quantize (and no column holds it)
        raise DecisionError(f"{label}过大：最多 {AMOUNT_DIGITS} 位整数（单位：万元）。", "amount")
    if amount != amount.quantize(CENT):
        raise DecisionError(f"{label}最多保留两位小数（单位：万元）。", "amount")
    return amount.quantize(CENT)


# As the forms: the 未经专家评分 reason (ApproveForm) and the 不通过 reason (RejectForm, like the
# city's 不予推荐理由).
WAIVER_MAX, REJECT_REASON_MAX = 1000, 2000


def clean_reason(value, field: str, limit: int) -> str:
    """A typed reason as the forms take it (stripped, no control characters, at most `limit`
    characters), for the paths that reach a service without a form (the batch bar)."""
    text = (value or "").strip()
    if has_control_characters(text):
        raise DecisionError(_("内容含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新输入。"), field)
    if len(text) > limit:
        raise DecisionError(_("理由不能超过 %(n)s 个字。") % {"n": limit}, field)
    return text


# ---- 1. paper materials at the window -----------------------------------------------------------


def paper_receipt_record(*, city_code: str, received_at: dt.datetime, recommendation_letter: bool,
                         summary_table: bool, stamped_materials: bool, copies: int, note: str = "",
                         user, request=None) -> PaperReceipt:
    _require_province(user)
    city = divisions.city_by_code(city_code)
    if city is None:
        raise DecisionError(_("请选择安徽省16个地市之一。"), "city_code")
    now = clock.now()
    if received_at > now:
        raise DecisionError(_("接收时间不能晚于现在。"), "received_at")
    receipt, created = PaperReceipt.objects.update_or_create(
        city_code=city.code,
        defaults=dict(received_at=received_at, recommendation_letter=recommendation_letter,
                      summary_table=summary_table, stamped_materials=stamped_materials, copies=copies,
                      note=note.strip(), recorded_by=user, recorded_at=now),
    )
    deadline = policy_bridge.get_pack().delivery.deadline
    audit_record("decisions.paper_receipt", user=user, request=request, obj=receipt, detail={
        "city_code": city.code, "received_at": received_at.isoformat(), "on_time": receipt.on_time(deadline),
        "items": {"推荐函": recommendation_letter, "汇总表": summary_table, "兑现材料": stamped_materials},
        "copies": copies, "created": created,
    })
    return receipt


# ---- 2. expert review ---------------------------------------------------------------------------


def panel_create(*, clause: str, name: str, members, user, request=None) -> ExpertPanel:
    _require_province(user)
    if sheet_for(clause) is None:
        raise DecisionError(_("该条款没有专家评审环节（无评分表），不能组建专家组。"), "clause")
    name = (name or "").strip()
    if not name:
        raise DecisionError(_("请填写专家组名称。"), "name")
    members = list(members)
    if any(m.role != Role.EXPERT for m in members):
        raise DecisionError(_("专家组成员只能是评审专家账号。"), "members")
    if not members:
        raise DecisionError(_("请至少选择一名专家。"), "members")
    try:
        with transaction.atomic():
            panel = ExpertPanel.objects.create(clause=str(clause), name=name, created_by=user, created_at=clock.now())
            panel.members.set(members)
    except IntegrityError:
        raise DecisionError(_("该条款已有名为“%(name)s”的专家组。") % {"name": name}, "name") from None
    audit_record("decisions.panel_create", user=user, request=request, obj=panel,
                 detail={"clause": str(clause), "name": name, "members": [m.username for m in members]})
    return panel


def declaration_add(*, expert, uscc: str = "", organisation=None, organisation_name: str = "", relation: str,
                    user, request=None) -> ConflictDeclaration:
    """An expert declares (or the province records for them) an organisation they must not review."""
    if expert.role != Role.EXPERT:
        raise DecisionError(_("只有评审专家需要申报回避单位。"))
    if user.pk != expert.pk:
        _require_province(user)
    uscc = (uscc or "").strip().upper()
    if uscc:
        from duixian.orgs.uscc import check_uscc

        check = check_uscc(uscc)
        if not check.valid:
            raise DecisionError(_("统一社会信用代码无效：%(error)s") % {"error": check.error}, "uscc")
        if organisation is None:
            from duixian.orgs.models import Organisation

            organisation = Organisation.objects.filter(uscc=uscc).first()
    if not uscc and organisation is None:
        raise DecisionError(_("请填写单位的统一社会信用代码。"), "uscc")
    declaration = ConflictDeclaration.objects.create(
        expert=expert, uscc=uscc or (organisation.uscc or "" if organisation else ""), organisation=organisation,
        organisation_name=(organisation_name or (organisation.name if organisation else "")).strip(),
        relation=relation, declared_at=clock.now(), declared_by=user,
    )
    audit_record("decisions.conflict_declare", user=user, request=request, obj=declaration,
                 detail={"expert": expert.username, "uscc": declaration.uscc, "relation": relation})
    return declaration


def assignment_create(*, application: Application, expert, panel: ExpertPanel, user, request=None) -> Assignment:
    """Give a recommended application to one expert of the clause's panel; 回避 is never overridden."""
    _require_province(user)
    if application.state != S.RECOMMENDED:
        raise DecisionError(_("只有市级已推荐、尚未决定的申报可以分配专家评审（当前状态：%(state)s）。")
                            % {"state": application.state_label})
    if panel.clause != application.clause:
        raise DecisionError(_("该专家组不负责此申报的条款。"), "panel")
    if expert.role != Role.EXPERT or not expert.is_active:
        raise DecisionError(_("只能分配给评审专家账号。"), "expert")
    if not panel.members.filter(pk=expert.pk).exists():
        raise DecisionError(_("专家%(expert)s不是“%(panel)s”的成员。") % {"expert": expert, "panel": panel.name}, "expert")
    conflicted, why = selectors.conflict_of_interest(expert, application)
    if conflicted:
        audit_record("decisions.assign", user=user, request=request, obj=application, outcome="refused",
                     detail={"expert": expert.username, "reason": why})
        raise DecisionError(why, "expert")
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(application=application, expert=expert, panel=panel,
                                                   assigned_by=user, assigned_at=clock.now())
    except IntegrityError:
        raise DecisionError(_("该申报已分配给专家%(expert)s。") % {"expert": expert}, "expert") from None
    audit_record("decisions.assign", user=user, request=request, obj=application,
                 detail={"expert": expert.username, "panel": panel.name, "assignment": assignment.pk,
                         "reference": application.reference or ""})
    return assignment


def assignment_score(assignment: Assignment, *, scores: dict, review_facts: dict, comment: str = "", user,
                     request=None) -> Assignment:
    """The expert's scoring sheet: every criterion within its points, every review fact yes or no."""
    allowed, reason = permissions.can_score(user, assignment)
    if not allowed:
        raise DecisionError(reason)
    app = assignment.application
    sheet = sheet_for(app.clause, app.application_type)
    if sheet is None:
        raise DecisionError(_("该条款没有评分表。"))
    clean_scores: dict[str, str] = {}
    total = Decimal("0")
    for criterion in sheet.criteria:
        raw = scores.get(criterion.id)
        if raw in (None, ""):
            raise DecisionError(_("请为“%(name)s”打分。") % {"name": criterion.name}, f"score_{criterion.id}")
        try:
            points = Decimal(str(raw))
        except InvalidOperation:
            raise DecisionError(_("“%(name)s”的分数须为数字。") % {"name": criterion.name}, f"score_{criterion.id}") from None
        if not points.is_finite() or points < 0 or points > criterion.max_points:
            raise DecisionError(_("“%(name)s”的分数须在 0 至 %(max)s 分之间。") % {"name": criterion.name, "max": criterion.max_points},
                                f"score_{criterion.id}")
        if points != points.quantize(Decimal("0.5")) and points != points.quantize(CENT):
            raise DecisionError(_("“%(name)s”的分数最多保留两位小数。") % {"name": criterion.name}, f"score_{criterion.id}")
        clean_scores[criterion.id] = str(points)
        total += points
    clean_facts: dict[str, bool] = {}
    for fact in sheet.facts_for(app.application_type):
        value = review_facts.get(fact.name)
        if value not in (True, False):
            raise DecisionError(_("请对“%(question)s”作出“是”或“否”的认定。") % {"question": fact.question}, f"fact_{fact.name}")
        clean_facts[fact.name] = value
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        locked.scores, locked.total, locked.review_facts = clean_scores, total, clean_facts
        locked.comment, locked.scored_at = (comment or "").strip(), clock.now()
        locked.save(update_fields=["scores", "total", "review_facts", "comment", "scored_at"])
        audit_record("decisions.score", user=user, request=request, obj=locked, detail={
            "application": app.pk, "reference": app.reference or "", "total": str(total), "facts": clean_facts,
        })
    return locked


# ---- 3. decisions -------------------------------------------------------------------------------


def _approve_checks(application: Application, amount: Decimal) -> tuple[Verdict, Decimal | None]:
    verdict = selectors.current_verdict(application)
    if verdict.status is Status.EVALUATION_ONLY and amount != 0:
        raise DecisionError(
            f"该园区须参加绩效评价，不享受兑现（五（一）4），核定金额只能为 0 万元（填写的是 {amount} 万元）。", "amount")
    cap = selectors.decision_cap(application, verdict)
    if cap is not None and amount > cap:
        raise DecisionError(
            f"核定金额 {amount} 万元超过该申报按政策可兑现的上限 {cap} 万元，不能通过。", "amount")
    requested = application.amount_requested_wan
    if requested is not None and amount > requested:
        raise DecisionError(f"核定金额 {amount} 万元超过申报单位拟申请的 {requested} 万元。", "amount")
    return verdict, cap


def panel_shortfall(application: Application, panel=None) -> str:
    """Why the expert panel's scores are not complete for this application, or "".

    A clause whose review is an expert 评比 (it has a scoring sheet: decisions/scoring.py; the
    2026 pack names no expert step of its own) is decided on the panel's scores: at least one
    expert assigned, and every assigned expert has scored.
    """
    if sheet_for(application.clause, application.application_type) is None:
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
        return f"该申报已作出决定（{application.state_label}），不能重复决定。"
    return f"只能对市级已推荐的申报作出决定，该申报当前状态为“{application.state_label}”。"


def decision_approve(application: Application, *, amount, user, request=None, batch: str = "",
                     expected_state: str | None = None, without_panel_reason: str = "") -> Decision:
    """Approve with an amount. A clause decided by an expert panel needs the panel's scores, or
    `without_panel_reason`: why the province decides without them (kept on the decision and audited)."""
    _require_province(user)
    application.refresh_from_db()
    evaluation_only = selectors.current_verdict(application).status is Status.EVALUATION_ONLY
    amount = parse_amount(amount, "核定金额", allow_zero=evaluation_only)
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
    _require_province(user)
    reason = clean_reason(reason, "reason", REJECT_REASON_MAX)
    if not reason:
        raise DecisionError("评审不通过须填写理由。", "reason")
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
    _require_province(user)
    if action not in ("approve", "reject"):
        raise DecisionError("未知的批量操作。")
    if not items:
        raise DecisionError("请至少选择一个申报。")
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
                            message = f"评审通过，核定金额 {decision.amount_wan} 万元"
                        else:
                            decision_reject(app, reason=reason, user=user, request=request, batch=batch)
                            message = "评审不通过"
                    report.lines.append(BatchLine(app.pk, label, True, message))
                except DecisionError as exc:
                    report.lines.append(BatchLine(app.pk, label, False, exc.message))
            if report.failures:
                raise _BatchFailed
    except _BatchFailed:
        for line in report.lines:
            if line.ok:
                line.ok, line.message = True, f"检查通过（{line.message}），但因其他申报未通过检查，本次未执行"
        audit_record(f"decisions.batch_{action}", user=user, request=request, outcome="refused", detail={
            "batch": batch, "applications": [line.application_id for line in report.lines],
            "failures": {str(line.application_id): line.message for line in report.failures},
        })
        return report
    report.applied = True
    audit_record(f"decisions.batch_{action}", user=user, request=request, detail={
        "batch": batch, "applications": [line.application_id for line in report.lines]})
    return report


# ---- 4. 公示 and objections ----------------------------------------------------------------------


def publication_window(moment: dt.datetime, working_days: int) -> tuple[dt.date, dt.datetime]:
    """(last day, exclusive end): day 1 is the publication day if it is a working day."""
    start = moment.astimezone(clock.SHANGHAI).date()
    last = add_working_days(start, working_days)
    nxt = last + dt.timedelta(days=1)
    return last, dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=clock.SHANGHAI)


def publication_create(*, applications, working_days: int, title: str, contact: str = "", user,
                       request=None) -> Publication:
    """Publish approved applications of one batch: each moves to 已公示; the rows are frozen with
    masked contacts."""
    _require_province(user)
    applications = list(applications)
    if not applications:
        raise DecisionError(_("请至少选择一个评审通过的申报进行公示。"), "applications")
    if len({app.batch_id for app in applications}) > 1:
        raise DecisionError(_("一次公示只能包含同一批次的申报，请按批次分别公示。"), "applications")
    if not 1 <= int(working_days) <= 30:
        raise DecisionError(_("公示期须为 1 至 30 个工作日。"), "working_days")
    title = (title or "").strip()
    if not title:
        raise DecisionError(_("请填写公示标题。"), "title")
    moment = clock.now()
    last_day, ends_at = publication_window(moment, int(working_days))
    with transaction.atomic():
        publication = Publication.objects.create(
            title=title, batch_id=applications[0].batch_id, published_at=moment, working_days=int(working_days),
            last_day=last_day, ends_at=ends_at,
            contact=(contact or "").strip(), published_by=user,
        )
        for number, app in enumerate(sorted(applications, key=lambda a: (int(a.clause), a.city_code, a.pk)), 1):
            app.refresh_from_db()
            decision = getattr(app, "decision", None)
            if app.state != S.APPROVED or decision is None or decision.outcome != DecisionOutcome.APPROVED:
                raise DecisionError(_("“%(project)s”当前状态为“%(state)s”，只有评审通过的申报可以公示。") % {
                    "project": app.project_name, "state": app.state_label})
            try:
                application_transition(app, "publish", user, request=request, expected_state=S.APPROVED,
                                       reason=f"{title}（公示期至{fmt_day(last_day)}）")
            except TransitionError as exc:
                raise DecisionError(exc.message) from None
            city = divisions.city_by_code(app.city_code)
            PublicationItem.objects.create(
                publication=publication, application=app, number=number, organisation_name=app.organisation.name,
                project_name=app.project_name,
                clause_cell=policy_bridge.clause_cell(app.clause, app.application_type, policy_bridge.application_pack(app)),
                city_name=getattr(city, "name", "") or "", amount_wan=decision.amount_wan,
                contact_masked=mask_contact(app.contact_name, app.contact_phone),
            )
        audit_record("decisions.publish", user=user, request=request, obj=publication, detail={
            "title": title, "batch_id": publication.batch_id, "working_days": int(working_days),
            "last_day": last_day.isoformat(),
            "ends_at": ends_at.isoformat(), "applications": [a.pk for a in applications],
        })
    return publication


def period_text(publication: Publication) -> str:
    start = publication.published_at.astimezone(clock.SHANGHAI).date()
    return f"{fmt_day(start)}至{fmt_day(publication.last_day)}（{publication.working_days}个工作日）"


OBJECTION_MAX_FILES = 3
OBJECTION_MAX_BYTES = 10 * 1024 * 1024
OBJECTION_TYPES = IMAGES_AND_PDF


OBJECTION_FOLDER = "objections"  # in the default storage (MEDIA_ROOT/objections/ or the bucket)


def objection_attachment_name(attachment: ObjectionAttachment) -> str:
    """The attachment's name in the default storage (`objections/<stored_name>`)."""
    return f"{OBJECTION_FOLDER}/{attachment.stored_name}"


def _check_attachment(upload) -> CheckedUpload:
    try:
        return check_upload(upload, max_bytes=OBJECTION_MAX_BYTES, allowed=OBJECTION_TYPES)
    except UploadRefused as refused:
        raise DecisionError(refused.message, "files") from None


def objection_submit(*, publication: Publication, item: PublicationItem | None, name: str, phone: str, body: str,
                     files=(), request=None) -> Objection:
    """Anyone may object while the 公示 runs; afterwards the list is final and this is refused."""
    moment = clock.now()
    if moment >= publication.ends_at:
        raise DecisionError(
            _("公示期已于%(day)s 24:00 结束，公示结果已为最终结果，不再受理异议。") % {"day": fmt_day(publication.last_day)})
    if moment < publication.published_at:
        raise DecisionError(_("公示尚未开始，暂不受理异议。"))
    if item is not None and item.publication_id != publication.pk:
        raise DecisionError(_("所选项目不在本次公示名单中。"), "item")
    name, body = (name or "").strip(), (body or "").strip()
    if not name:
        raise DecisionError(_("请填写异议人姓名或单位名称（实名提出，信息仅供核实使用）。"), "name")
    if not body:
        raise DecisionError(_("请写明异议内容及理由。"), "body")
    from duixian.orgs.phone import PhoneError, normalize_phone

    try:
        phone = normalize_phone(phone)
    except PhoneError as exc:
        raise DecisionError(str(exc), "phone") from None
    files = [f for f in files if f]
    if len(files) > OBJECTION_MAX_FILES:
        raise DecisionError(_("附件最多 %(n)s 个。") % {"n": OBJECTION_MAX_FILES}, "files")
    # Every file is checked (on a temporary copy) before any is stored; a refused one stores nothing.
    checked: list[CheckedUpload] = []
    written: list[str] = []
    try:
        for f in files:
            checked.append(_check_attachment(f))
        for copy in checked:
            written.append(save_checked(OBJECTION_FOLDER, copy))
        with transaction.atomic():
            objection = Objection.objects.create(
                publication=publication, item=item, reference=f"YY{moment.astimezone(clock.SHANGHAI):%Y%m%d}-"
                f"{secrets.token_hex(3).upper()}", name=name, phone=phone, body=body, submitted_at=moment)
            for copy, stored in zip(checked, written):
                ObjectionAttachment.objects.create(
                    objection=objection, stored_name=stored.removeprefix(f"{OBJECTION_FOLDER}/"),
                    original_name=PurePosixPath((copy.name or "").replace("\\", "/")).name[:255] or "附件",
                    content_type=copy.content_type, size=copy.size, sha256=copy.sha256)
            audit_record("decisions.objection_submit", request=request, obj=objection, username="public", detail={
                "publication": publication.pk, "item": item.pk if item else None, "reference": objection.reference,
                "attachments": len(checked),
            })
    except BaseException:
        discard(*written)  # the rows were not written: no file left behind
        raise
    finally:
        for copy in checked:
            copy.close()
    return objection


def objection_answer(objection: Objection, *, answer: str, outcome: str = "", item: PublicationItem | None = None,
                     user, request=None) -> Objection:
    """The province's finding on an objection: 成立 or 不成立, with `answer` as its reason.

    The objection is linked to the decision it concerns (its project's; for an objection to the
    whole list, the project named in `item`). An upheld objection changes that decision: no money
    is allocated or paid on it afterwards (funding_record refuses, naming the 受理编号).
    """
    _require_province(user)
    answer = (answer or "").strip()
    if outcome not in ObjectionOutcome.values:
        raise DecisionError(_("请选择异议是否成立。"), "outcome")
    if not answer:
        raise DecisionError(_("请填写处理意见（异议成立或不成立的理由）。"), "answer")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.status == ObjectionStatus.ANSWERED:
            raise DecisionError(_("该异议已于%(moment)s答复，不能重复答复。") % {
                "moment": policy_bridge.format_moment(locked.answered_at)})
        target = locked.item
        if target is None and item is not None:
            if item.publication_id != locked.publication_id:
                raise DecisionError(_("所选项目不在本次公示名单中。"), "item")
            target = item
        if outcome == ObjectionOutcome.UPHELD and target is None:
            raise DecisionError(_("异议成立的，请选择异议涉及的公示项目（其决定将因此改变）。"), "item")
        decision = getattr(target.application, "decision", None) if target is not None else None
        locked.answer, locked.status, locked.outcome, locked.decision = answer, ObjectionStatus.ANSWERED, outcome, decision
        locked.answered_by, locked.answered_at = user, clock.now()
        locked.save(update_fields=["answer", "status", "outcome", "decision", "answered_by", "answered_at"])
        audit_record("decisions.objection_answer", user=user, request=request, obj=locked,
                     detail={"reference": locked.reference, "publication": locked.publication_id, "outcome": outcome,
                             "decision": decision.pk if decision else None,
                             "application": decision.application_id if decision else None})
        if decision is not None and outcome == ObjectionOutcome.UPHELD:
            # Stored in Chinese, like the other notifications (the applicant reads them later).
            _notify(decision.application, "decisions.objection_upheld",
                    f"公示异议成立：{decision.application.project_name}",
                    f"受理编号 {locked.reference} 的异议经核实成立，暂停资金下达和拨付。处理意见：{answer}")
    return locked


def upheld_objection(application: Application) -> Objection | None:
    """An upheld 公示 objection against this application's decision, if any."""
    return (Objection.objects.filter(decision__application=application, outcome=ObjectionOutcome.UPHELD)
            .order_by("answered_at", "pk").first())


# ---- 5. money -----------------------------------------------------------------------------------


def funding_record(application: Application, *, kind: str, on_date: dt.date, amount, voucher: str, reason: str = "",
                   user, request=None) -> FundingRecord:
    """资金下达 and payment after the 公示 is final; a recovery (追回) of paid money with its reason."""
    _require_province(user)
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
        day = fmt_day(on_date)
        if kind == FundingKind.ALLOCATION:
            _notify(app, "decisions.allocation", f"兑现资金已下达：{app.project_name}",
                    f"{day}下达 {amount} 万元，文号 {voucher}。")
        elif kind == FundingKind.PAYMENT and not fired_pay:
            _notify(app, "decisions.payment", f"兑现资金已拨付：{app.project_name}",
                    f"{day}拨付 {amount} 万元，凭证号 {voucher}。")
        elif kind == FundingKind.RECOVERY:
            _notify(app, "decisions.recovery", f"兑现资金追回：{app.project_name}",
                    f"{day}追回 {amount} 万元，凭证号 {voucher}。原因：{reason}")
    return record
