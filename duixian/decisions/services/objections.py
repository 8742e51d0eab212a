"""4b. Objections to a 公示: anyone may raise one while it runs; the province answers each."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from duixian.applications import policy_bridge
from duixian.applications.models import Application
from duixian.applications.notifications import register_wording, worded
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.stored_files import discard, save_checked
from duixian.core.uploads import CheckedUpload, IMAGES_AND_PDF, UploadRefused, check_upload
from duixian.decisions.models import (
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    ObjectionStatus,
    Publication,
    PublicationItem,
)
from duixian.decisions.services.base import DecisionError, fmt_day, notify_applicant, require_province


OBJECTION_MAX_FILES = 3
OBJECTION_MAX_BYTES = 10 * 1024 * 1024
OBJECTION_TYPES = IMAGES_AND_PDF
OBJECTION_FOLDER = "objections"  # in the default storage (MEDIA_ROOT/objections/ or the bucket)


OBJECTION_UPHELD = register_wording(
    "decisions.objection_upheld", gettext_noop("公示异议成立：{name}"),
    gettext_noop("受理编号 {reference} 的异议经核实成立，暂停资金下达和拨付。处理意见：{answer}"))


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
    from duixian.core.phone import PhoneError, normalize_phone

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
    require_province(user)
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
            notify_applicant(decision.application, "decisions.objection_upheld", *worded(
                OBJECTION_UPHELD, name=decision.application.project_name, reference=locked.reference, answer=answer))
    return locked


def upheld_objection(application: Application) -> Objection | None:
    """An upheld 公示 objection against this application's decision, if any."""
    return (Objection.objects.filter(decision__application=application, outcome=ObjectionOutcome.UPHELD)
            .order_by("answered_at", "pk").first())
