"""Writing applications: create a draft, save answers, submit, resubmit, withdraw.

State changes go through duixian.applications.workflow.application_transition; these functions
prepare and check what a transition needs (completeness, the 承诺, the organisation's
confirmation, the snapshot). Errors are raised as TransitionError / ApplicationError with
Chinese messages the views show as they are.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.db import IntegrityError, connection, connections, router, transaction
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext as _

from duixian.applications import policy_bridge, questions as q
from duixian.applications.models import Application, Submission
from duixian.applications.selectors import (
    application_facts,
    incomplete_items,
    _materials_of,
    material_states,
    materials_snapshot,
)
from duixian.applications.workflow import TransitionError, application_transition, submit_action
from duixian import authz
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.compiled import CompiledQuery
from duixian.core.errors import DomainError
from duixian.policy.verdict import Status, Verdict


class ApplicationError(DomainError):
    """A refused change to an application; ``field`` is the answer's name (``scene.status``)."""


def organisation_can_submit(org) -> tuple[bool, str]:
    try:
        from duixian.orgs.permissions import organisation_can_submit as check
    except ImportError:  # pragma: no cover - the orgs app always ships it now
        check = None
    if check is not None:
        return check(org)
    if org.status == "confirmed":
        return True, ""
    return False, _("本单位尚未经所属地市归口管理部门确认，确认后方可提交申报；草稿可以继续填写。")


def organisation_can_apply_for(org, clause: str, pack=None) -> tuple[bool, str]:
    try:
        from duixian.orgs.permissions import organisation_can_apply_for as check
    except ImportError:  # pragma: no cover
        return True, ""
    return check(org, clause, pack)


def _profile_org_answers(org) -> dict:
    try:
        from duixian.orgs.selectors import organisation_facts
    except ImportError:  # pragma: no cover
        return {}
    facts = organisation_facts(org)
    wanted = {"org.independent_legal_person", "org.owns_ip", "org.credit_good", "org.major_violation",
              "operator.prior_support"}
    return {k: v for k, v in q.flatten(facts).items() if k in wanted}


def creation_closed(*, pack=None, moment=None) -> str:
    """Why no new application can be started now in `pack`'s batch ("" while its window is open;
    without a pack, "" while any batch's is): from the closing second on (申报截止 at 17:00:00
    means 17:00:00 is closed), the same rule the submit button follows."""
    moment = moment or clock.now()
    if pack is None:
        pack = creation_batch(moment)
    if moment >= pack.application_close:
        return _("申报系统已于%(moment)s关闭，不能再新建申报。") % {"moment": policy_bridge.format_moment(pack.application_close)}
    return ""


def creation_batch(moment=None, batch_id: str = ""):
    """The batch a new application goes to: `batch_id` when it names a batch, else the default
    batch while it still takes new drafts, else the first batch that does (next year's notice
    after this year's has closed), else the default batch."""
    from duixian.policy.active import batches, has_batch

    if batch_id and has_batch(batch_id):
        return policy_bridge.batch_pack(batch_id)
    moment = moment or clock.now()
    default = policy_bridge.get_pack()
    if moment < default.application_close:
        return default
    return next((pack for pack in batches() if moment < pack.application_close), default)


def application_create(*, user, clause: str, application_type: str = "", project_name: str, batch_id: str = "",
                       request=None) -> Application:
    """A new draft for the user's organisation in batch `batch_id` (see creation_batch), its
    profile facts pre-filled. The application belongs to that batch for good."""
    org = user.organisation
    if org is None:
        raise ApplicationError(_("只有申报单位用户可以新建申报。"))
    allowed, reason = authz.check(user, "application.create")
    if not allowed:  # a read-only 查看人
        raise ApplicationError(reason)
    pack = creation_batch(batch_id=batch_id)
    closed = creation_closed(pack=pack)
    if closed:
        raise ApplicationError(closed)
    choice = policy_bridge.clause_choice(clause, application_type, pack)
    if choice is None:
        raise ApplicationError(_("本批次不受理该条款的申报。"), "clause")
    allowed, reason = organisation_can_apply_for(org, clause, pack)
    if not allowed:
        raise ApplicationError(reason, "clause")
    project_name = (project_name or "").strip()
    if not project_name:
        raise ApplicationError(_("请填写项目名称。"), "project_name")
    answers = _profile_org_answers(org)
    if application_type:
        answers[pack.clause(int(clause)).type_fact] = application_type
    with transaction.atomic():  # the draft and its audit row, or neither
        try:
            app = Application.objects.create(
                organisation=org, city_code=org.city_code or "", batch_id=policy_bridge.batch_id(pack),
                pack_version=policy_bridge.pack_version(pack), clause=str(clause), application_type=application_type,
                project_name=project_name, facts=q.nest(answers), created_by=user,
                contact_name=getattr(user, "full_name", "") or "", contact_phone=getattr(user, "phone", "") or "",
            )
        except IntegrityError:
            raise ApplicationError(
                _("本单位已有依据%(clause)s、项目名称为“%(name)s”的申报，请在“我的申报”中继续填写，不要重复创建。")
                % {"clause": choice.label, "name": project_name},
                "project_name",
            ) from None
        audit_record("application.create", user=user, request=request, obj=app,
                     detail={"clause": app.clause, "application_type": application_type, "project_name": project_name})
    return app


# The autosave's reads, compiled once per process (duixian.core.compiled): the row locked for the
# change, and the row read back after it (what refresh_from_db reads, without building the query).
_LOCKED = CompiledQuery(Application, lambda pk: Application.objects.select_for_update().filter(pk=pk), (-7_310_541,))
_FRESH = CompiledQuery(Application, lambda pk: Application.objects.filter(pk=pk), (-7_310_542,))


def _reload(app: Application) -> None:
    """`app.refresh_from_db()`: every field as stored now, cached relations dropped."""
    if app.get_deferred_fields():
        app.refresh_from_db()
        return
    fresh = _FRESH.first(app.pk)
    if fresh is None:
        raise Application.DoesNotExist("Application matching query does not exist.")
    app._prefetched_objects_cache = {}
    for field in Application._meta.concrete_fields:
        setattr(app, field.attname, getattr(fresh, field.attname))
        if field.is_relation and field.is_cached(app):
            field.delete_cached_value(app)
    for rel in Application._meta.related_objects:
        if rel.is_cached(app):
            rel.delete_cached_value(app)
    app._state.db = fresh._state.db


def _update_row(locked: Application, names: set[str]) -> None:
    """`locked.save(update_fields=names)`: the same UPDATE of those columns (model order, each
    value through its field's pre_save and get_db_prep_save, so updated_at takes the platform
    clock), written without building an UpdateQuery and compiling it (about a quarter of an
    autosave's save). The row is locked by the caller, so it is there to update."""
    if pre_save.has_listeners(Application) or post_save.has_listeners(Application):
        locked.save(update_fields=names)  # someone listens: the ORM's save sends its signals
        return
    alias = router.db_for_write(Application, instance=locked)
    conn = connections[alias]
    qn = conn.ops.quote_name
    sets, params = [], []
    for field in Application._meta.local_concrete_fields:
        if field.primary_key or field.name not in names:
            continue
        value = field.get_db_prep_save(field.pre_save(locked, False), connection=conn)
        if hasattr(field, "get_placeholder") or hasattr(value, "as_sql") or field.generated:
            locked.save(update_fields=names)  # not a plain column value: the ORM's own way
            return
        if value is None:
            sets.append(f"{qn(field.column)} = NULL")
        else:
            sets.append(f"{qn(field.column)} = %s")
            params.append(value)
    table, pk = qn(Application._meta.db_table), Application._meta.pk
    params.append(pk.get_db_prep_value(locked.pk, conn))
    with conn.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {table}.{qn(pk.column)} = %s", params)
    locked._state.db = alias


def application_save_answers(app: Application, values: dict, *, user, request=None) -> Application:
    """Save some answers (flat names) of an editable application; others stay as they were."""
    with transaction.atomic():
        locked = _LOCKED.first(app.pk)
        if locked is None:
            raise Application.DoesNotExist("Application matching query does not exist.")
        if not locked.editable:
            raise ApplicationError(_("申报当前状态为“%(state)s”，不能修改。") % {"state": locked.state_label})
        flat = q.flatten(locked.facts)
        changed = []
        for name, value in values.items():
            if name in q.MODEL_FIELDS:
                if value is q.REMOVE or value is None:
                    value = None if name == "amount_requested_wan" else ""
                if name == "project_name":
                    value = (value or "").strip()
                    if not value:
                        continue
                if getattr(locked, name) != value:
                    setattr(locked, name, value)
                    changed.append(name)
            else:
                if value is q.REMOVE or (value is None and name not in _NULLABLE):
                    if name in flat:
                        flat.pop(name)
                        changed.append(name)
                    continue
                if flat.get(name, _MISSING) != value:
                    flat[name] = value
                    changed.append(name)
        if not changed:
            return locked
        locked.facts = q.nest(flat)
        # Only what can have changed (the other columns are as read under the lock). A refused
        # name leaves this block with the error, which rolls the whole change back: no savepoint.
        try:
            _update_row(locked, {*(name for name in changed if name in q.MODEL_FIELDS), "facts", "updated_at"})
        except IntegrityError:
            raise ApplicationError(_("本单位已有同一条款、同名项目的申报，请换一个项目名称。"), "project_name") from None
    _reload(app)
    return app


_MISSING = object()
_NULLABLE = {
    "conversion.investment_agreement_signed_on", "conversion.registration_moved_on",
    "conversion.tax_moved_on", "conversion.statistics_moved_on",
}


def _submit_checks(user, declaration: bool, token: str):
    def before(locked: Application, moment):
        if not declaration:
            raise TransitionError(_("请阅读并勾选信息真实性承诺后再提交。"))
        allowed, reason = organisation_can_submit(locked.organisation)
        if not allowed:
            raise TransitionError(reason)
        materials = _materials_of(locked)  # read once (compiled) for the check and the snapshot
        missing = incomplete_items(locked, slots=material_states(locked, materials))
        if missing:
            raise TransitionError(_("申报信息尚未填写完整：%(items)s。") % {"items": _("；").join(missing)})
        facts = application_facts(locked, moment=moment)
        pack = policy_bridge.application_pack(locked)  # one pack for the verdict and the snapshot's version
        verdict = policy_bridge.evaluate_facts(locked.clause, facts, pack)
        cap = verdict.max_amount_wan
        evaluation_only = verdict.status is Status.EVALUATION_ONLY
        if evaluation_only:
            # 五（一）4: the form does not ask an amount; what is applied for is 0 (the snapshot and
            # the 汇总表 say so), whatever an earlier answer left in the field.
            locked.amount_requested_wan = Decimal("0.00")
        elif cap is not None and locked.amount_requested_wan is not None and locked.amount_requested_wan > cap:
            raise TransitionError(
                _("拟申请兑现金额 %(amount)s 万元超过本条款可兑现上限 %(cap)s 万元，请修改后再提交。")
                % {"amount": locked.amount_requested_wan, "cap": cap}
            )
        number = _submission_count(locked.pk) + 1
        Submission.objects.create(
            application=locked, number=number, token=token, answers=facts, verdict=verdict.to_json(),
            pack_version=policy_bridge.pack_version(pack), pack_digest=policy_bridge.pack_digest(pack),
            materials=materials_snapshot(locked, materials),
            amount_requested_wan=locked.amount_requested_wan, submitted_at=moment, submitted_by=user,
        )
        if locked.first_submitted_at is None:
            locked.first_submitted_at = moment
        locked.last_submitted_at = moment
        locked.declaration_confirmed = True
        locked.pack_version = policy_bridge.pack_version(pack)
        if not locked.reference:
            locked.reference = f"DX{policy_bridge.batch_year(pack)}-{locked.city_code or '340000'}-{locked.pk:06d}"
        return ["first_submitted_at", "last_submitted_at", "declaration_confirmed", "pack_version", "reference",
                *(["amount_requested_wan"] if evaluation_only else [])]

    return before


@cache
def _submission_statement(vendor: str, kind: str) -> str:
    """The submission's two reads of Submission, written once per process from the model's names
    (the worker runs them for every press; building them with the ORM cost more than running them):
    "count", an application's submissions; "token", whether one was made with a form's token."""
    q = connection.ops.quote_name
    meta = Submission._meta
    table, app_col = q(meta.db_table), q(meta.get_field("application").column)
    if kind == "count":
        return f"SELECT count(*) FROM {table} WHERE {app_col} = %s"
    return f"SELECT 1 FROM {table} WHERE {app_col} = %s AND {q(meta.get_field('token').column)} = %s LIMIT 1"


def _submission_count(app_id: int) -> int:
    """`Submission.objects.filter(application_id=app_id).count()`."""
    with connection.cursor() as cursor:
        cursor.execute(_submission_statement(connection.vendor, "count"), [app_id])
        return cursor.fetchone()[0]


def _submitted_with(app_id: int, token: str) -> bool:
    """`Submission.objects.filter(token=token, application_id=app_id).exists()`."""
    with connection.cursor() as cursor:
        cursor.execute(_submission_statement(connection.vendor, "token"), [app_id, token])
        return cursor.fetchone() is not None


def application_submit(app: Application, *, user, token: str, declaration: bool, request=None,
                       expected_state: str | None = None, at=None, ip: str = "") -> Application:
    """Submit (or resubmit after a return). A replayed token returns the earlier result.

    `at` is when the button was pressed (a receipt's arrival, receipts.py): the window is judged
    then and the snapshot carries that time. A replay is recognised when the submission fails, not
    before it (one query less for every press the worker checks): a token already used cannot
    submit again (Submission.token is unique), so the attempt fails with a conflict, a refusal or
    the duplicate token, and the earlier submission of that token then answers as before."""
    if not token:
        raise TransitionError(_("提交请求无效，请刷新页面后重试。"))
    seen = expected_state or app.state
    action = submit_action(seen)
    try:
        return application_transition(
            app, action, user, request=request, expected_state=seen, before=_submit_checks(user, declaration, token),
            at=at, ip=ip,
        )
    except (TransitionError, IntegrityError):
        # The same form sent twice (already done), or two requests with one token raced and the
        # other one won: the earlier submission answers. Anything else was a refusal.
        if _submitted_with(app.pk, token):
            return Application.objects.get(pk=app.pk)
        raise


def application_withdraw(app: Application, *, user, reason: str = "", request=None, expected_state=None) -> Application:
    return application_transition(app, "withdraw", user, reason=reason, request=request,
                                  expected_state=expected_state or app.state)


def amount_problem(app: Application, amount: Decimal | None, answers: dict | None = None, *,
                   verdict: Verdict | None = None) -> str:
    """The message when `amount` exceeds the clause's cap computed from the current answers
    (or from `verdict`, when the caller already has the verdict of those answers)."""
    if amount is None:
        return ""
    if verdict is None:
        verdict = policy_bridge.evaluate_facts(app.clause, application_facts(app, answers=answers),
                                               policy_bridge.application_pack(app))
    cap = verdict.max_amount_wan
    if verdict.status is Status.EVALUATION_ONLY:
        return ""  # not asked: 0 is applied for at submission (五（一）4)
    if cap is not None and amount > cap:
        return _("拟申请兑现金额不能超过本条款可兑现上限 %(cap)s 万元（按已填写的信息计算）。") % {"cap": cap}
    return ""


def application_copy(source: Application, *, user, request=None) -> Application:
    """A new draft from a withdrawn application of the user's organisation: its facts, project
    (clause, type, name, amount) and contact; not its materials, which are uploaded again."""
    from duixian.applications.models import ApplicationState

    if source.state != ApplicationState.WITHDRAWN:
        raise ApplicationError(_("只有已撤回的申报可以复制为新草稿。"))
    if user.organisation_id is None or user.organisation_id != source.organisation_id:
        raise ApplicationError(_("只能复制本单位的申报。"))
    with transaction.atomic():  # the draft, its answers and both audit events, or nothing
        copy = application_create(user=user, clause=source.clause, application_type=source.application_type,
                                  project_name=source.project_name, batch_id=source.batch_id, request=request)
        copy.facts = source.facts
        copy.amount_requested_wan = source.amount_requested_wan
        copy.contact_name = source.contact_name
        copy.contact_phone = source.contact_phone
        copy.save(update_fields=["facts", "amount_requested_wan", "contact_name", "contact_phone", "updated_at"])
        audit_record("application.copy", user=user, request=request, obj=copy,
                     detail={"copied_from": source.pk, "copied_from_reference": source.reference or "",
                             "project_name": copy.project_name})
    return copy
