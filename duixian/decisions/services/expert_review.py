"""2. Expert review: panels, conflict-of-interest (回避) declarations, assignments and scores."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from duixian import authz
from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.decisions import selectors
from duixian.decisions.models import Assignment, ConflictDeclaration, ExpertPanel
from duixian.decisions.services.base import CENT, DecisionError, require_province


def panel_create(*, batch_id: str, clause: str, name: str, members, user, request=None) -> ExpertPanel:
    """An expert group for one clause of one batch: a clause with a scoring sheet in that batch's pack."""
    require_province(user)
    if str(clause) not in policy_bridge.batch_pack(batch_id).scored_clauses():
        raise DecisionError(_("该条款没有专家评审环节（无评分表），不能组建专家组。"), "clause")
    name = (name or "").strip()
    if not name:
        raise DecisionError(_("请填写专家组名称。"), "name")
    members = list(members)
    if any(m.role != Role.EXPERT for m in members):
        raise DecisionError(_("专家组成员只能是评审专家账号。"), "members")
    if not members:
        raise DecisionError(_("请至少选择一名专家。"), "members")
    with transaction.atomic():  # the panel, its members and its audit row, or none of them
        try:
            panel = ExpertPanel.objects.create(batch_id=batch_id, clause=str(clause), name=name, created_by=user,
                                               created_at=clock.now())
        except IntegrityError:
            raise DecisionError(_("该条款已有名为“%(name)s”的专家组。") % {"name": name}, "name") from None
        panel.members.set(members)
        audit_record("decisions.panel_create", user=user, request=request, obj=panel,
                     detail={"batch_id": batch_id, "clause": str(clause), "name": name,
                             "members": [m.username for m in members]})
    return panel


def declaration_add(*, expert, uscc: str = "", organisation=None, organisation_name: str = "", relation: str,
                    user, request=None) -> ConflictDeclaration:
    """An expert declares (or the province records for them) an organisation they must not review."""
    if expert.role != Role.EXPERT:
        raise DecisionError(_("只有评审专家需要申报回避单位。"))
    if user.pk != expert.pk:
        require_province(user)
    uscc = (uscc or "").strip().upper()
    if uscc:
        from duixian.codes.uscc import check_uscc

        check = check_uscc(uscc)
        if not check.valid:
            raise DecisionError(_("统一社会信用代码无效：%(error)s") % {"error": check.error}, "uscc")
        if organisation is None:
            from duixian.orgs.models import Organisation

            organisation = Organisation.objects.filter(uscc=uscc).first()
    if not uscc and organisation is None:
        raise DecisionError(_("请填写单位的统一社会信用代码。"), "uscc")
    with transaction.atomic():  # the declaration and its audit row, or neither
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
    require_province(user)
    if application.state != S.RECOMMENDED:
        raise DecisionError(_("只有市级已推荐、尚未决定的申报可以分配专家评审（当前状态：%(state)s）。")
                            % {"state": application.state_label})
    if panel.clause != application.clause or panel.batch_id != application.batch_id:
        raise DecisionError(_("该专家组不负责此申报的条款。"), "panel")
    if expert.role != Role.EXPERT or not expert.is_active:
        raise DecisionError(_("只能分配给评审专家账号。"), "expert")
    if not panel.members.filter(pk=expert.pk).exists():
        raise DecisionError(_("专家%(expert)s不是“%(panel)s”的成员。") % {"expert": expert, "panel": panel.name}, "expert")
    conflicted, why = selectors.conflict_of_interest(expert, application)
    if conflicted:
        with translation.override("zh-hans"):  # the audit detail stays Chinese (docs/i18n.md)
            audited = selectors.conflict_of_interest(expert, application)[1]
        audit_record("decisions.assign", user=user, request=request, obj=application, outcome="refused",
                     detail={"expert": expert.username, "reason": audited})
        raise DecisionError(why, "expert")
    with transaction.atomic():  # the assignment and its audit row, or neither
        try:
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
    allowed, reason = authz.check(user, "assignment.score", assignment)
    if not allowed:
        raise DecisionError(reason)
    app = assignment.application
    sheet = selectors.sheet_for(app)
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
    for fact in sheet.facts:
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
