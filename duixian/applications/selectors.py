"""Reading applications: answers, the facts the engine sees, the task list, who sees what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy as _

from duixian.authz.roles import Role
from duixian.applications import policy_bridge, questions as q
from duixian.applications.models import Application, Material, Submission
from duixian.core import clock
from duixian.core.compiled import CompiledQuery
from duixian.policy.verdict import Verdict

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"
STATUS_LABELS = {NOT_STARTED: _("未开始"), IN_PROGRESS: _("填写中"), COMPLETED: _("已完成")}


def answers_of(app: Application) -> dict:
    """Every answer, flat: the facts plus the questions kept on the Application itself."""
    answers = q.flatten(app.facts)
    answers["project_name"] = app.project_name
    if app.amount_requested_wan is not None:
        answers["amount_requested_wan"] = app.amount_requested_wan
    if app.contact_name:
        answers["contact_name"] = app.contact_name
    if app.contact_phone:
        answers["contact_phone"] = app.contact_phone
    type_fact = _type_fact(app)
    if type_fact:
        answers[type_fact] = app.application_type
    return answers


def _type_fact(app: Application) -> str:
    """The fact the application's type sets (the clause's `application_type_fact` in its pack)."""
    if not app.application_type:
        return ""
    return policy_bridge.application_pack(app).clause(int(app.clause)).type_fact


def _visible_fact_names(app: Application, answers: dict) -> set[str]:
    names = set()
    for section in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app)):
        for question in section.visible_questions(answers):
            names.add(question.name)
    return names


def application_facts(app: Application, *, moment: datetime | None = None, answers: dict | None = None) -> dict:
    """The facts for the engine (CONTRACTS §2): profile, visible answers, project and times; only
    those the application's pack declares (a notice without, say, org.agi_enterprise gets none)."""
    from duixian.orgs.selectors import organisation_facts

    answers = dict(answers if answers is not None else answers_of(app))
    flat = q.flatten(organisation_facts(app.organisation))
    visible = _visible_fact_names(app, answers)
    type_fact = _type_fact(app)
    for name, value in answers.items():
        if name in q.MODEL_FIELDS:
            continue
        if name in visible or name == type_fact:
            flat[name] = value
    flat["project.name"] = answers.get("project_name") or app.project_name
    amount = answers.get("amount_requested_wan")
    if amount is not None and amount != "":
        flat["amount_requested_wan"] = str(amount)
    submitted_at = app.first_submitted_at or moment or clock.now()
    flat["submitted_at"] = submitted_at.astimezone(clock.SHANGHAI).isoformat()
    vocabulary = policy_bridge.application_pack(app).facts
    return q.nest({name: value for name, value in flat.items() if name in vocabulary.given})


def application_verdict(app: Application, answers: dict | None = None, *, moment: datetime | None = None) -> Verdict:
    return policy_bridge.evaluate_facts(app.clause, application_facts(app, answers=answers, moment=moment),
                                        policy_bridge.application_pack(app))


def _answered(question: q.Question, answers: dict) -> bool:
    if question.name not in answers:
        return False
    value = answers[question.name]
    if question.kind == "multi":
        return value is not None
    return value not in ("", None) or question.kind == "nullable_date" and value is None


def section_status(section: q.Section, answers: dict) -> str:
    visible = section.visible_questions(answers)
    required = [x for x in visible if x.required]
    answered = [x for x in visible if _answered(x, answers) and not (x.name == "project_name")]
    if required and all(_answered(x, answers) for x in required):
        return COMPLETED
    return IN_PROGRESS if answered else NOT_STARTED


@dataclass(frozen=True)
class SlotState:
    slot: policy_bridge.MaterialSlot
    material: Material | None


_MATERIALS_OF = CompiledQuery(
    Material, lambda app_id: Material.objects.filter(application_id=app_id), (-7_310_533,))


def _materials_of(app: Application) -> list[Material]:
    """`app.materials.all()` (a prefetch when there is one), through a query compiled once."""
    prefetched = getattr(app, "_prefetched_objects_cache", {}).get("materials")
    if prefetched is not None:
        return list(prefetched)
    found = _MATERIALS_OF.all(app.pk)
    for material in found:
        Material.application.field.set_cached_value(material, app)
    return found


def material_states(app: Application, materials: list[Material] | None = None) -> list[SlotState]:
    """Each slot of the application's pack with its file; `materials`: `app.materials.all()` when
    the caller has read them already (the submission reads them once for the check and the snapshot)."""
    files = {m.slot: m for m in (_materials_of(app) if materials is None else materials)}
    slots = policy_bridge.material_slots(app.clause, app.application_type, policy_bridge.application_pack(app))
    return [SlotState(s, files.get(s.id)) for s in slots]


def materials_status(app: Application, states: list[SlotState] | None = None) -> str:
    states = material_states(app) if states is None else states
    blocking = [s for s in states if s.slot.blocking]  # an unconfirmed slot may stay empty
    if blocking and all(s.material for s in blocking):
        return COMPLETED
    return IN_PROGRESS if any(s.material for s in states) else NOT_STARTED


@dataclass(frozen=True)
class Task:
    key: str
    title: str
    status: str
    url_name: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def task_list(app: Application, *, answers: dict | None = None) -> list[Task]:
    answers = answers_of(app) if answers is None else answers
    tasks = [Task(s.key, s.title, section_status(s, answers), "section") for s in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app))]
    tasks.append(Task("materials", _("申报材料"), materials_status(app), "materials"))
    return tasks


def incomplete_items(app: Application, *, answers: dict | None = None, slots: list[SlotState] | None = None) -> list[str]:
    """What is still missing before submission, in plain words (empty when complete).

    A page that already holds the answers and the material states passes them in (no re-read)."""
    answers = answers_of(app) if answers is None else answers
    missing = []
    for section in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app)):
        unanswered = [x.display_label for x in section.visible_questions(answers) if x.required and not _answered(x, answers)]
        if unanswered:
            missing.append(gettext("“%(section)s”中的%(items)s") % {"section": section.title, "items": gettext("、").join(unanswered)})
    lacking = [gettext(s.slot.name) for s in (material_states(app) if slots is None else slots) if s.slot.blocking and not s.material]
    if lacking:
        missing.append(gettext("申报材料：%(items)s") % {"items": gettext("、").join(lacking)})
    return missing


def materials_snapshot(app: Application, materials: list[Material] | None = None) -> list[dict]:
    names = {s.id: s.name for s in policy_bridge.material_slots(app.clause, app.application_type,
                                                                policy_bridge.application_pack(app))}
    return [
        {"slot": m.slot, "slot_name": names.get(m.slot, m.slot), "original_name": m.original_name,
         "sha256": m.sha256, "size": m.size, "content_type": m.content_type, "material_id": m.pk,
         # the 单位证照库 document version (an immutable row) it was copied from, if any
         "wallet_document_id": m.wallet_document_id}
        # .all(): a prefetch serves it; `materials`, when the caller has read them already
        for m in sorted(app.materials.all() if materials is None else materials, key=lambda m: m.slot)
    ]


def applications_visible_to(user) -> QuerySet[Application]:
    """Applications a user may open: its organisation's; its city's once submitted; all for the province."""
    qs = Application.objects.select_related("organisation")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role == Role.APPLICANT and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == Role.CITY_CLERK and user.city_code:
        return qs.filter(city_code=user.city_code).exclude(first_submitted_at__isnull=True)
    if user.role == Role.PROVINCE:
        return qs.exclude(first_submitted_at__isnull=True)
    return qs.none()


_APPLICATION_OF = CompiledQuery(
    Application, lambda pk: Application.objects.select_related("organisation").filter(pk=pk), (-7_310_531,))


def application_of(pk, **_url) -> Application | None:
    """The URL's application with its organisation, for a view's guard (duixian.authz.requires),
    which then asks whether this user may act on it. Compiled once (duixian.core.compiled): every
    applicant and clerk page of an application loads it."""
    return _APPLICATION_OF.first(int(pk))


def application_visible_to(user, app: Application) -> bool:
    """One application, the same rule as :func:`applications_visible_to` without a query."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.APPLICANT and user.organisation_id:
        return app.organisation_id == user.organisation_id
    if user.role == Role.CITY_CLERK and user.city_code:
        return app.city_code == user.city_code and app.first_submitted_at is not None
    if user.role == Role.PROVINCE:
        return app.first_submitted_at is not None
    return False


def applications_for_city(city_code: str, batch_id: str = "") -> QuerySet[Application]:
    """What a city's 归口管理部门 reviews: submitted at least once (in one batch when given)."""
    qs = Application.objects.in_city(city_code).submitted_at_least_once().select_related("organisation")
    return qs.filter(batch_id=batch_id) if batch_id else qs


def latest_return(app: Application):
    return app.history.filter(action="return").order_by("-at", "-pk").first()


_LATEST_SUBMISSION = CompiledQuery(
    Submission, lambda app_id: Submission.objects.filter(application_id=app_id).order_by("-number"), (-7_310_547,))


def latest_submission(app: Application):
    """The application's latest submission (the snapshot reviewers judge), or None for a draft;
    compiled once (the status and review pages ask it)."""
    found = _LATEST_SUBMISSION.first(app.pk)
    if found is not None:
        Submission.application.field.set_cached_value(found, app)
    return found


def state_history(app: Application):
    """Every state change of the application, oldest first, with who made it."""
    return app.history.select_related("actor").order_by("at", "pk")


def token_received(app: Application, token: str) -> bool:
    """Whether a submission with this token was received already (a double click, a replay)."""
    return app.receipts.filter(token=token).exists()
