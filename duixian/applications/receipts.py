"""Submitting in two steps: take the button press at once, check and record it right after.

`submission_receive` runs in the request. It refuses at once what is cheap to know (no token,
no declaration, the state, who presses, the window, the organisation not yet confirmed) and
otherwise writes a SubmissionReceipt stamped with the server's time. `receipt_process` then
runs the full submission (completeness, the amount cap, the snapshot, the state change, the
audit row and the notification) judged at the receipt's time, and marks the receipt accepted
or refused with the reason.

With SUBMISSIONS_QUEUED off (the embedded default) both steps run in the request, so the
applicant sees the outcome on the next page. With it on (production, with `duixian worker`
running) the second step is a background task: in the last-hour surge a press costs the web
server a few small writes, and one made at 23:58:59 is on time however long the queue is.
The 确认信息 page already lists anything missing, so a press refused after receipt is rare.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duixian.applications.models import Application, ReceiptOutcome, SubmissionReceipt
from duixian.applications.services import application_submit, organisation_can_submit
from duixian.applications.workflow import TransitionError, can_fire, submit_action
from duixian.audit.services import audit_record, client_ip
from duixian.core import clock


def submission_receive(app: Application, *, user, token: str, declaration: bool, request=None) -> SubmissionReceipt:
    """Take a submit press. Raises TransitionError (Chinese) when it can be refused at once; a
    replayed token answers the receipt it made the first time."""
    if not token:
        raise TransitionError(_("提交请求无效，请刷新页面后重试。"))
    if not declaration:
        raise TransitionError(_("请阅读并勾选信息真实性承诺后再提交。"))
    moment = clock.now()
    allowed, why = can_fire(user, app, submit_action(app.state), moment=moment)
    if allowed:
        allowed, why = organisation_can_submit(app.organisation)
    if not allowed:
        raise TransitionError(why)
    queued = settings.SUBMISSIONS_QUEUED
    try:
        with transaction.atomic():
            receipt = SubmissionReceipt.objects.create(
                application=app, token=token, user=user, received_at=moment, declaration=True,
                expected_state=app.state, ip=client_ip(request),
            )
            if queued:  # in the same transaction: the task exists exactly when the receipt does
                from duixian.applications.tasks import receipt_process_task

                receipt_process_task.enqueue(receipt.pk)
    except IntegrityError:  # the same form sent twice (a double click), or a token from elsewhere
        earlier = SubmissionReceipt.objects.filter(token=token, application=app).first()
        if earlier is None:
            raise TransitionError(_("提交请求无效，请刷新页面后重试。")) from None
        return earlier
    return receipt if queued else receipt_process(receipt.pk)


def receipt_process(receipt_id: int) -> SubmissionReceipt:
    """Run the submission a receipt stands for, once; record the outcome on the receipt."""
    with transaction.atomic():
        receipt = (SubmissionReceipt.objects.select_for_update(of=("self",))
                   .select_related("application__organisation", "user").get(pk=receipt_id))
        if receipt.outcome != ReceiptOutcome.PENDING:
            return receipt
        app = receipt.application
        action = submit_action(receipt.expected_state)
        try:
            application_submit(app, user=receipt.user, token=receipt.token, declaration=receipt.declaration,
                               expected_state=receipt.expected_state, at=receipt.received_at, ip=receipt.ip)
        except TransitionError as exc:
            receipt.outcome, receipt.message = ReceiptOutcome.REFUSED, exc.message
            audit_record(f"application.{action}", user=receipt.user, ip=receipt.ip, obj=app, outcome="refused",
                         detail={"error": exc.message, "received_at": receipt.received_at.isoformat()})
        else:
            receipt.outcome = ReceiptOutcome.ACCEPTED
        receipt.processed_at = clock.now()
        receipt.save(update_fields=["outcome", "message", "processed_at"])
    return receipt


def receipt_pending(app: Application) -> SubmissionReceipt | None:
    """The press still being checked for this application, if any."""
    return app.receipts.filter(outcome=ReceiptOutcome.PENDING).order_by("-received_at", "-pk").first()


def receipt_refused_since_last_submission(app: Application) -> SubmissionReceipt | None:
    """The latest refused press while the applicant can still act on it: the application is
    still a draft (or returned) and no later submission went through. A second press refused
    because the first one already submitted the application is not news."""
    if not app.editable:
        return None
    refused = app.receipts.filter(outcome=ReceiptOutcome.REFUSED).order_by("-received_at", "-pk").first()
    if refused is None or (app.last_submitted_at and app.last_submitted_at >= refused.received_at):
        return None
    return refused


OVERDUE = timedelta(minutes=2)


def receipts_overdue() -> int:
    """Check the presses still pending long after they arrived: their task failed for good (a
    worker lost too often) or never ran. Run by every worker's housekeeping; a press a task is
    checking at this moment is skipped, not waited for."""
    cutoff = clock.now() - OVERDUE
    done = 0
    for pk in SubmissionReceipt.objects.filter(outcome=ReceiptOutcome.PENDING, received_at__lt=cutoff).order_by(
            "received_at").values_list("pk", flat=True)[:100]:
        with transaction.atomic():
            if not SubmissionReceipt.objects.select_for_update(skip_locked=True).filter(pk=pk).exists():
                continue  # being checked right now
        receipt_process(pk)
        done += 1
    return done
