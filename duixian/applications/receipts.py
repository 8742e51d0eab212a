"""Submitting in two steps: take the button press at once, check and record it right after.

`submission_receive` runs in the request. It refuses at once what is cheap to know (no token,
no declaration, the state, who presses, the window, the organisation not yet confirmed) and
otherwise writes a SubmissionReceipt stamped with the server's time. `receipt_process` then
runs the full submission (completeness, the amount cap, the snapshot, the state change, the
audit row and the notification) judged at the receipt's time, and marks the receipt accepted
or refused with the reason.

With SUBMISSIONS_QUEUED off (the embedded default) both steps run in the request, so the
applicant sees the outcome on the next page. With it on (production, with `duixian worker`
running) the pending receipts are the queue: every worker checks them (`receipts_check_pending`,
several workers never take the same one), and in the last-hour surge a press costs the web
server one small write (`submission_take`); one made at 23:58:59 is on time however long the
queue is. The 确认信息 page already lists anything missing, so a press refused after receipt is
rare.
"""

from __future__ import annotations

import logging
import math
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django import forms
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from duixian.applications.models import Application, ApplicationState, ReceiptOutcome, SubmissionReceipt
from duixian.applications.policy_bridge import batches
from duixian.applications.services import application_submit, organisation_can_submit
from duixian.applications.workflow import TransitionError, can_fire, in_window, submit_action
from duixian.audit.services import audit_record
from duixian.core.clients import client_ip
from duixian.core import clock
from duixian.core.compiled import CompiledQuery
from duixian.orgs.models import OrgRole, OrgStatus, Organisation
from duixian.orgs.permissions import member_role

logger = logging.getLogger("duixian.applications.receipts")

_DECLARATION = forms.BooleanField(required=False)
_TOKEN_MAX = SubmissionReceipt._meta.get_field("token").max_length
@cache
def _take_statement(vendor: str, pairs: int) -> str:
    """INSERT … SELECT of a receipt for an application of the presser's organisation in one of
    `pairs` (state, batch) pairs whose organisation may submit; written once per process from the
    models' table and column names (building it with the ORM costs more than running it)."""
    q = connection.ops.quote_name
    r, a, o = (m._meta for m in (SubmissionReceipt, Application, Organisation))
    rc = {f.name: q(f.column) for f in r.concrete_fields}
    ac = {f.name: q(f.column) for f in a.concrete_fields}
    oc = {f.name: q(f.column) for f in o.concrete_fields}
    columns = ", ".join(rc[n] for n in ("application", "token", "user", "received_at", "declaration",
                                          "expected_state", "ip", "outcome", "message"))
    pair = f"(a.{ac['state']} = %s AND a.{ac['batch_id']} = %s)"
    return (
        f"INSERT INTO {q(r.db_table)} ({columns}) "
        f"SELECT a.{ac['id']}, %s, %s, %s, %s, a.{ac['state']}, %s, %s, %s "
        f"FROM {q(a.db_table)} a JOIN {q(o.db_table)} o ON o.{oc['id']} = a.{ac['organisation']} "
        f"WHERE a.{ac['id']} = %s AND a.{ac['organisation']} = %s AND ({' OR '.join([pair] * pairs)}) "
        f"AND o.{oc['status']} = %s AND o.{oc['city_code']} <> '' "
        f"RETURNING {rc['id']}"
    )


def submission_take(app_id: int, *, user, token: str, declaration: str, ip: str) -> int | None:
    """The queued press, in one statement: the receipt's id when this is a plain press that
    `submission_receive` would take (an editor of the application's organisation, a state the
    button fires from with its window open, the organisation confirmed, a new token), else None.
    None is no refusal: the caller then runs `submission_receive`, which says why, or answers a
    double click with the first press's receipt. What it takes, the worker checks again in full
    (state, presser, window and organisation included), so a rule added to `submission_receive`
    and missed here shows as a refusal seconds later, never as a wrong submission."""
    if not settings.SUBMISSIONS_QUEUED or not token or len(token) > _TOKEN_MAX:
        return None
    if not _DECLARATION.clean(declaration) or member_role(user) not in (OrgRole.MANAGER, OrgRole.EDITOR):
        return None
    moment = clock.now()
    # Each batch has its own windows: the press is taken only in a state whose button is open in
    # the application's own batch.
    pairs = [(state, pack.batch_id) for pack in batches() for state in (ApplicationState.DRAFT, ApplicationState.RETURNED)
             if in_window(submit_action(state), moment=moment, pack=pack)[0]]
    if not pairs:
        return None
    params = [token, user.pk, connection.ops.adapt_datetimefield_value(moment), True, ip,
              ReceiptOutcome.PENDING, "", app_id, user.organisation_id, *(v for pair in pairs for v in pair),
              OrgStatus.CONFIRMED]
    # Alone, the one statement is its own transaction: no BEGIN and COMMIT round trips. Inside
    # someone's transaction, a savepoint keeps a refused INSERT from spoiling it.
    inside = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with inside, connection.cursor() as cursor:
            cursor.execute(_take_statement(connection.vendor, len(pairs)), params)
            row = cursor.fetchone()
    except IntegrityError:  # the token was used before: a double click
        return None
    return row[0] if row else None


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
    try:
        with transaction.atomic():
            receipt = SubmissionReceipt.objects.create(
                application=app, token=token, user=user, received_at=moment, declaration=True,
                expected_state=app.state, ip=client_ip(request),
            )
    except IntegrityError:  # the same form sent twice (a double click), or a token from elsewhere
        earlier = SubmissionReceipt.objects.filter(token=token, application=app).first()
        if earlier is None:
            raise TransitionError(_("提交请求无效，请刷新页面后重试。")) from None
        return earlier
    return receipt if settings.SUBMISSIONS_QUEUED else receipt_process(receipt.pk)


def receipt_process(receipt_id: int) -> SubmissionReceipt:
    """Run the submission a receipt stands for, once; record the outcome on the receipt."""
    with transaction.atomic():
        receipt = _receipts_locked().get(pk=receipt_id)
        if _process(receipt):
            _record([receipt])
    return receipt


def _receipts_locked(skip_locked: bool = False):
    """Receipts locked for their check, with what the check reads of them (the application, its
    organisation, the presser and the presser's membership, which says whether they may still
    submit) in the same query."""
    return (SubmissionReceipt.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .select_related("application__organisation", "user__membership"))


def _process(receipt: SubmissionReceipt) -> bool:
    """The check of one locked receipt, inside the caller's transaction (it makes no savepoint of
    its own: application_transition keeps a refused submission from leaving anything behind). It
    sets the receipt's outcome, reason and time, which the caller writes in the same transaction
    (`_record`); False when the receipt was checked before and there is nothing to write."""
    if receipt.outcome != ReceiptOutcome.PENDING:
        return False
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
    return True


def _record(checked: list[SubmissionReceipt]) -> None:
    """The outcome, reason and time of checked receipts, in one UPDATE for a batch (what
    receipt.save(update_fields=[…]) of each wrote), in the transaction that checked them."""
    if not checked:
        return
    adapt = connection.ops.adapt_datetimefield_value
    params = [*(v for r in checked for v in (r.pk, r.outcome)), *(v for r in checked for v in (r.pk, r.message)),
              *(v for r in checked for v in (r.pk, adapt(r.processed_at))), *(r.pk for r in checked)]
    with connection.cursor() as cursor:
        cursor.execute(_outcome_statement(connection.vendor, len(checked)), params)


@cache
def _outcome_statement(vendor: str, n: int) -> str:
    """UPDATE of `n` receipts' outcome, message and processed_at, each its own (CASE on the id),
    written once per process and batch size from the model's names."""
    q = connection.ops.quote_name
    meta = SubmissionReceipt._meta
    pk = q(meta.pk.column)
    each = " ".join(["WHEN %s THEN %s"] * n)
    columns = ", ".join(f"{q(meta.get_field(name).column)} = CASE {pk} {each} END"
                        for name in ("outcome", "message", "processed_at"))
    return f"UPDATE {q(meta.db_table)} SET {columns} WHERE {pk} IN ({', '.join(['%s'] * n)})"


_PENDING_OF = CompiledQuery(SubmissionReceipt, lambda app_id: SubmissionReceipt.objects.filter(
    application_id=app_id, outcome=ReceiptOutcome.PENDING).order_by("-received_at", "-pk"), (-7_310_537,))


def receipt_pending(app: Application) -> SubmissionReceipt | None:
    """The press still being checked for this application, if any (正在核验 and 确认信息 ask it:
    a query compiled once, duixian.core.compiled)."""
    pending = _PENDING_OF.first(app.pk)
    if pending is not None:
        SubmissionReceipt.application.field.set_cached_value(pending, app)
    return pending


# How far back the workers' pace is measured (a few seconds: in a surge it changes fast, slow while
# the web takes the presses, several times faster once it has), how many checks make a pace worth
# trusting, and the longest wait it may set (the poll after it knows the pace better).
PACE_WINDOW = timedelta(seconds=3)
PACE_MIN_CHECKS = 5
PACE_MAX_DELAY = 5
# Checks a second taken before the pace is known: more than two workers on this kind of machine
# manage, so that a page asks early rather than late, yet the 500th press in a queue does not ask
# every 2 s while the web is still taking the presses of the 600 before it.
UNKNOWN_PACE = 50
# ... and at most this many seconds apart: the workers may be faster than that, and once they have
# checked a few presses, the next poll knows their pace.
UNKNOWN_PACE_MAX_DELAY = 5


@dataclass(frozen=True)
class QueuePlace:
    """Where a waiting press stands: `place` presses (its own included) are to be checked before
    its outcome is known, and the workers checked `checked` presses since `first_checked_at`
    (within PACE_WINDOW). `received_at`: when its latest press still being checked was taken
    (the time 正在核验 shows)."""

    pending: bool
    place: int = 0
    checked: int = 0
    first_checked_at: datetime | None = None
    received_at: datetime | None = None


@cache
def _place_statement(vendor: str) -> str:
    q = connection.ops.quote_name
    r, a = SubmissionReceipt._meta, Application._meta
    table, app_col = q(r.db_table), q(r.get_field("application").column)
    outcome, received, processed = (q(r.get_field(n).column) for n in ("outcome", "received_at", "processed_at"))
    mine = f"(SELECT min(m.{received}) FROM {table} m WHERE m.{app_col} = a.{q(a.pk.column)} AND m.{outcome} = %s)"
    latest = f"(SELECT max(m.{received}) FROM {table} m WHERE m.{app_col} = a.{q(a.pk.column)} AND m.{outcome} = %s)"
    return (
        f"SELECT {mine}, {latest}, (SELECT count(*) FROM {table} w WHERE w.{outcome} = %s AND w.{received} <= {mine}), "
        f"(SELECT count(*) FROM {table} d WHERE d.{processed} > %s), "
        f"(SELECT min(d.{processed}) FROM {table} d WHERE d.{processed} > %s) "
        f"FROM {q(a.db_table)} a WHERE a.{q(a.pk.column)} = %s AND a.{q(a.get_field('organisation').column)} = %s"
    )


def receipt_queue_place(app_id: int, organisation_id: int | None, *, now: datetime) -> QueuePlace | None:
    """For 正在核验 and its poll, the most frequent requests of the last minutes, in one
    hand-written query: None when `app_id` is not an application of the organisation, else
    whether a press of it is still being checked, how many presses are before it (its own
    included) and the workers' pace. Its oldest pending press is the one the workers take first."""
    if not organisation_id:
        return None
    since = connection.ops.adapt_datetimefield_value(now - PACE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(_place_statement(connection.vendor),
                       [ReceiptOutcome.PENDING] * 4 + [since, since, app_id, organisation_id])
        row = cursor.fetchone()
    if row is None:
        return None
    oldest, latest, place, checked, first = row
    if oldest is None:
        return QueuePlace(pending=False)
    return QueuePlace(pending=True, place=place, checked=checked, first_checked_at=_aware(first),
                      received_at=_aware(latest))


def _aware(value) -> datetime | None:
    """A timestamp as the database cursor gives it (SQLite: text in UTC) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    parsed = parse_datetime(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def poll_delay(waited: timedelta, where: QueuePlace | None = None, *, now: datetime | None = None) -> int:
    """Seconds until 正在核验 asks again: about when the workers should have checked the presses
    before this one (half that time while it is over 2 s), so that the outcome shows a second
    after its check, not several, and a long queue is asked about seldom. The workers' pace is
    measured (PACE_MIN_CHECKS checks within PACE_WINDOW); before it can be (the first seconds of
    a surge, while the web takes the presses) it is taken as UNKNOWN_PACE (that guess at most
    UNKNOWN_PACE_MAX_DELAY), and the page asks after 2 s at first, then after a third of the wait
    so far, whichever is later. Always 1 to 15."""
    place = where.place if where is not None else 0
    if where is not None and where.checked >= PACE_MIN_CHECKS and where.first_checked_at and now:
        pace = where.checked / max((now - where.first_checked_at).total_seconds(), 1.0)
        due = place / pace
        # Half of a longer wait: the workers speed up once the web has taken the last presses.
        return min(PACE_MAX_DELAY, max(1, math.ceil(due if due <= 2 else due / 2)))
    guess = min(UNKNOWN_PACE_MAX_DELAY, math.ceil(place / UNKNOWN_PACE))
    return min(15, max(2, int(waited.total_seconds() // 3), guess))


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


# Receipts whose check raised (a bug, a database fault): not tried again by this process for a
# while, so one bad receipt cannot keep a worker busy; the others go on being checked.
RETRY_SECONDS = 60.0
_failed_at: dict[int, float] = {}


# Receipts checked in one transaction: one query takes them, one UPDATE records their outcomes,
# one commit (and one sealing of the audit rows they wrote) ends them. Each is checked in a
# savepoint of its own, so one that fails leaves the others' outcomes; their rows stay locked for
# the batch, a tenth of a second or so.
CHECK_BATCH = 10


@cache
def _pending_statement(vendor: str) -> str:
    """Whether any press waits (the index on the outcome answers it), written once per process."""
    q = connection.ops.quote_name
    meta = SubmissionReceipt._meta
    return f"SELECT 1 FROM {q(meta.db_table)} WHERE {q(meta.get_field('outcome').column)} = %s LIMIT 1"


def _any_pending() -> bool:
    """The idle worker's poll: one indexed query, outside any transaction, no objects built."""
    with connection.cursor() as cursor:
        cursor.execute(_pending_statement(connection.vendor), [ReceiptOutcome.PENDING])
        return cursor.fetchone() is not None


# The oldest `n` pending presses, locked for their check (SKIP LOCKED): compiled once per process and
# batch size (duixian.core.compiled), with what the check reads of them (_receipts_locked).
_TAKE: dict[int, CompiledQuery] = {}


def _take(n: int, skip: list[int]) -> list[SubmissionReceipt]:
    if skip:  # receipts whose check failed a moment ago: rare, through the ORM
        return list(_receipts_locked(skip_locked=True).filter(outcome=ReceiptOutcome.PENDING)
                    .exclude(pk__in=skip).order_by("received_at", "pk")[:n])
    compiled = _TAKE.get(n)
    if compiled is None:
        compiled = _TAKE.setdefault(n, CompiledQuery(SubmissionReceipt, lambda: _receipts_locked(skip_locked=True).filter(
            outcome=ReceiptOutcome.PENDING).order_by("received_at", "pk")[:n], ()))
    return compiled.all()


def receipts_check_pending(limit: int = 200) -> int:
    """Check pending presses, oldest first, until none is left or `limit` are done. They are taken
    with SKIP LOCKED inside the transaction that checks them (CHECK_BATCH at a time), so several
    workers share the queue, and a worker that dies mid-check leaves its receipts pending (its
    transaction rolls back) for the next one. Run by every worker, every --interval seconds: when
    nothing waits that is one indexed query and no transaction (`_any_pending`); a batch short of
    CHECK_BATCH took what was left (or what other workers had not locked), and ends the round."""
    if limit <= 0 or not _any_pending():
        return 0
    done = 0
    while done < limit:
        skip = [pk for pk, failed in _failed_at.items() if time.monotonic() - failed < RETRY_SECONDS]
        wanted = min(CHECK_BATCH, limit - done)
        with transaction.atomic():
            taken = _take(wanted, skip)
            if not taken:
                return done
            checked = []
            for receipt in taken:
                try:
                    with transaction.atomic():
                        if _process(receipt):
                            checked.append(receipt)
                except Exception:
                    logger.exception("Checking submission receipt %s failed; trying again in %s s", receipt.pk,
                                     RETRY_SECONDS)
                    _failed_at[receipt.pk] = time.monotonic()
                else:
                    _failed_at.pop(receipt.pk, None)
                done += 1
            # The outcomes of the batch in one statement: a receipt whose check failed keeps its
            # pending row (its savepoint took its writes back); if this fails, the whole batch does.
            _record(checked)
        if len(taken) < wanted:
            return done
    return done
