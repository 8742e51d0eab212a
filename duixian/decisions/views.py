"""Province and expert pages. Thin: each declares the action that guards it (``@requires``,
duixian/decisions/permissions.py; a refusal to see is a 404), calls services, renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import check, requires
from duixian.accounts.models import User
from duixian.applications import policy_bridge
from duixian.applications.models import Application, ApplicationState as S
from duixian.applications.answer_rows import answer_rows
from duixian.applications.selectors import latest_submission, state_history
from duixian.audit.services import audit_record
from duixian.core import clock, listing
from duixian.core.converters import record_ids
from duixian.core.errors import add_to_form
from duixian.core.stored_files import open_or_404
from duixian.decisions import selectors, services
from duixian.decisions.forms import (
    AnswerForm,
    ApproveForm,
    AssignForm,
    DeclarationForm,
    FundingForm,
    PanelForm,
    PaperReceiptForm,
    ProvinceDeclarationForm,
    PublicationForm,
    RejectForm,
    ScoreForm,
)
from duixian.decisions.models import Assignment, ExpertPanel, Objection, ObjectionStatus, Publication
from duixian.decisions.services import DecisionError
from duixian.codes import divisions
from duixian.policy.batch_choice import batch_context, batch_from_request, batch_query


# ---- dashboard and paper receipts ----------------------------------------------------------------


@requires("decisions.manage")
def dashboard(request):
    """The province's progress of one batch (`?batch=`, the default batch without it)."""
    chosen = batch_context(request)
    pack = chosen["batch"]
    report = selectors.progress(pack)
    return render(request, "decisions/dashboard.html", {**chosen,
        "report": report, "columns": selectors.COLUMNS, "chart": report.chart_data(),
        "stats": [(key, label, getattr(report.total, key)) for key, label in selectors.COLUMNS],
        "receipts": selectors.paper_receipts(pack), "delivery": pack.delivery, "now": clock.now(),
        "recommended_count": selectors.recommended_applications(pack.batch_id).count(),
    })


@requires("decisions.manage")
def receipt_record(request, city_code: str):
    """The paper receipt of one city for the chosen batch (?batch=), under that batch's delivery rules."""
    city = divisions.city_by_code(city_code)
    if city is None:
        raise Http404(_("没有该地市。"))
    chosen = batch_context(request)
    pack = chosen["batch"]
    existing = selectors.paper_receipt(city.code, pack.batch_id)
    initial = {"copies": pack.delivery.copies}
    if existing:
        initial = {"received_at": existing.received_at.astimezone(clock.SHANGHAI).replace(tzinfo=None),
                   "items": existing.items, "copies": existing.copies, "note": existing.note}
    form = PaperReceiptForm(request.POST or None, initial=initial, delivery=pack.delivery)
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_receipt_record(batch_id=pack.batch_id, city_code=city.code, user=request.user,
                                          request=request, **form.cleaned_data)
        except DecisionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已登记%(city)s的纸质材料接收情况。") % {"city": city.name})
            return redirect(reverse("decisions:dashboard") + chosen["batch_query"])
    return render(request, "decisions/receipt_form.html", {**chosen, "form": form, "city": city,
                                                           "delivery": pack.delivery, "existing": existing})


# ---- expert review (province side) ---------------------------------------------------------------


@requires("decisions.manage")
def review(request):
    """The chosen batch's (?batch=) expert panels, and every expert's declarations."""
    chosen = batch_context(request)
    pack = chosen["batch"]
    here = reverse("decisions:review") + chosen["batch_query"]
    panel_form = PanelForm(request.POST if request.POST.get("form") == "panel" else None, prefix="panel",
                           pack=pack)
    declaration_form = ProvinceDeclarationForm(request.POST if request.POST.get("form") == "declaration" else None,
                                               prefix="decl")
    if request.method == "POST" and request.POST.get("form") == "panel" and panel_form.is_valid():
        try:
            services.panel_create(batch_id=pack.batch_id, user=request.user, request=request,
                                  **panel_form.cleaned_data)
        except DecisionError as exc:
            add_to_form(panel_form, exc)
        else:
            messages.success(request, _("专家组已组建。"))
            return redirect(here)
    if request.method == "POST" and request.POST.get("form") == "declaration" and declaration_form.is_valid():
        data = declaration_form.cleaned_data
        try:
            services.declaration_add(expert=data["expert"], uscc=data["uscc"], organisation_name=data["organisation_name"],
                                     relation=data["relation"], user=request.user, request=request)
        except DecisionError as exc:
            add_to_form(declaration_form, exc)
        else:
            messages.success(request, _("回避申报已登记。"))
            return redirect(here)
    return render(request, "decisions/review.html", {**chosen,
        "panels": selectors.panels(pack.batch_id), "experts": selectors.experts_with_workload(), "panel_form": panel_form, "declaration_form": declaration_form,
        "sheets": pack.scoring_sheets(),
    })


@requires("decisions.manage")
def decisions_list(request):
    """What waits for a decision and what was decided, in one batch (`?batch=`, the default batch)."""
    chosen = batch_context(request)
    batch_id = chosen["batch"].batch_id
    clause, city, text = (request.GET.get(name, "").strip()[:100] for name in ("clause", "city", "q"))
    pending = listing.matching(selectors.awaiting_decision(clause, batch_id), text)
    decided = listing.matching(selectors.decided_applications(batch_id), text)
    if clause:
        decided = decided.filter(clause=clause)
    if city:
        pending, decided = pending.filter(city_code=city), decided.filter(city_code=city)
    page, decided_page = listing.page_of(pending, request), listing.page_of(decided, request, param="decided_page")
    rows = []
    for app in page.object_list:
        panel = selectors.panel_result(app)
        verdict = selectors.current_verdict(app, panel)
        cap = selectors.decision_cap(app, verdict)
        suggested = min(x for x in (cap, app.amount_requested_wan) if x is not None) if (
            cap is not None or app.amount_requested_wan is not None) else None
        rows.append({"app": app, "panel": panel, "verdict": verdict, "cap": cap, "suggested": suggested,
                     "city": divisions.city_by_code(app.city_code)})
    return render(request, "decisions/decisions_list.html", {**chosen,
        "rows": rows, "page": page, "decided": decided_page.object_list, "decided_page": decided_page,
        "clause": clause, "city": city, "q": text, "cities": divisions.CITIES,
        "clauses": policy_bridge.clause_choices(chosen["batch"]),
        "report": request.session.pop("batch_report", None),
    })


@require_POST
@requires("decisions.manage")
def decisions_batch(request):
    back = reverse("decisions:list") + batch_query(batch_from_request(request))  # the list the province ticked on
    action = request.POST.get("action", "")
    ids = record_ids(request.POST.getlist("selected"))
    apps = selectors.applications_by_pk(ids)
    items = [{"application": apps[i], "amount": request.POST.get(f"amount_{i}", "")} for i in ids if i in apps]
    try:
        report = services.decisions_batch(action=action, items=items, reason=request.POST.get("reason", ""),
                                          without_panel_reason=request.POST.get("without_panel_reason", ""),
                                          user=request.user, request=request)
    except DecisionError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    request.session["batch_report"] = {
        "applied": report.applied, "action": _("评审通过") if action == "approve" else _("评审不通过"),
        "lines": [{"label": line.label, "ok": line.ok, "message": line.message} for line in report.lines],
    }
    if report.applied:
        messages.success(request, _("批量操作已完成：%(n)s 个申报。") % {"n": len(report.lines)})
    else:
        messages.error(request, _("批量操作未执行：%(n)s 个申报未通过检查，所选申报均未作出决定。") % {"n": len(report.failures)})
    return redirect(back)


def _application(pk) -> Application:
    app = selectors.submitted_application(pk)
    if app is None:
        raise Http404(_("申报不存在。"))
    return app


@requires("decisions.manage")
def application_detail(request, pk: int, *, assign_form=None, approve_form=None, reject_form=None, funding_form=None):
    app = _application(pk)
    panel = selectors.panel_result(app)
    verdict = selectors.current_verdict(app, panel)
    cap = selectors.decision_cap(app, verdict)
    snapshot_verdict = selectors.snapshot_verdict(app)
    decision = getattr(app, "decision", None) if hasattr(app, "decision") else None
    suggested = app.amount_requested_wan if cap is None else min(cap, app.amount_requested_wan or cap)
    shortfall = services.panel_shortfall(app, panel) if app.state == S.RECOMMENDED else ""
    return render(request, "decisions/application.html", {
        "app": app, "panel": panel, "verdict": verdict, "snapshot_verdict": snapshot_verdict, "cap": cap,
        "decision": decision, "sheet": selectors.sheet_for(app),
        "city": divisions.city_by_code(app.city_code),
        "assign_form": assign_form or AssignForm(application=app),
        "approve_form": approve_form or ApproveForm(initial={"amount": suggested, "expected_state": app.state},
                                                    panel_shortfall=shortfall),
        "panel_shortfall": shortfall,
        "reject_form": reject_form or RejectForm(initial={"expected_state": app.state}, auto_id="reject_%s"),
        "funding_form": funding_form or FundingForm(initial={"on_date": clock.local_now().date()}),
        "funding": selectors.funding_records(app), "totals": selectors.funding_totals(app),
        "history": state_history(app), "is_recommended": app.state == S.RECOMMENDED,
        "publication_item": getattr(app, "publication_item", None) if hasattr(app, "publication_item") else None,
    })


@require_POST
@requires("decisions.manage")
def assign(request, pk: int):
    app = _application(pk)
    form = AssignForm(request.POST, application=app)
    if form.is_valid():
        panel_id, _sep, expert_id = form.cleaned_data["member"].partition(":")
        panel = get_object_or_404(ExpertPanel, pk=panel_id)
        expert = get_object_or_404(User, pk=expert_id)
        try:
            services.assignment_create(application=app, expert=expert, panel=panel, user=request.user,
                                       request=request)
        except DecisionError as exc:
            # Service errors name the expert or the panel; the form's one field is `member`.
            add_to_form(form, exc, field="member" if exc.field in ("expert", "panel") else None)
        else:
            messages.success(request, _("已分配给专家%(expert)s评审。") % {"expert": expert})
            return redirect("decisions:application", pk=app.pk)
    return application_detail(request, pk, assign_form=form)


def _decided_meanwhile(app: Application) -> bool:
    """Another province user decided while this one filled in the form (the page shows no form now)."""
    app.refresh_from_db(fields=["state"])
    return app.state != S.RECOMMENDED


def _refused_on_page(request, exc: DecisionError, viewname: str, *, anchor: str = "", **kwargs):
    """The refusal as a message above the page, when the form it belongs to is no longer shown
    (an error put beside a form that is not rendered would be lost)."""
    messages.error(request, exc.message)
    url = reverse(viewname, kwargs=kwargs)
    return redirect(f"{url}#{anchor}" if anchor else url)


@require_POST
@requires("decisions.manage")
def approve(request, pk: int):
    app = _application(pk)
    form = ApproveForm(request.POST, panel_shortfall=services.panel_shortfall(app))
    if form.is_valid():
        try:
            services.decision_approve(app, amount=form.cleaned_data["amount"], user=request.user, request=request,
                                      expected_state=form.cleaned_data.get("expected_state") or None,
                                      without_panel_reason=form.cleaned_data.get("without_panel_reason", ""))
        except DecisionError as exc:
            if _decided_meanwhile(app):
                return _refused_on_page(request, exc, "decisions:application", pk=app.pk)
            add_to_form(form, exc)
        else:
            messages.success(request, _("已决定评审通过。"))
            return redirect("decisions:application", pk=app.pk)
    return application_detail(request, pk, approve_form=form)


@require_POST
@requires("decisions.manage")
def reject(request, pk: int):
    app = _application(pk)
    form = RejectForm(request.POST, auto_id="reject_%s")  # ids apart from the approve form's on one page
    if form.is_valid():
        try:
            services.decision_reject(app, reason=form.cleaned_data["reason"], user=request.user, request=request,
                                     expected_state=form.cleaned_data.get("expected_state") or None)
        except DecisionError as exc:
            if _decided_meanwhile(app):
                return _refused_on_page(request, exc, "decisions:application", pk=app.pk)
            add_to_form(form, exc)
        else:
            messages.success(request, _("已决定评审不通过。"))
            return redirect("decisions:application", pk=app.pk)
    return application_detail(request, pk, reject_form=form)


@require_POST
@requires("decisions.manage")
def funding(request, pk: int):
    app = _application(pk)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            services.funding_record(app, user=request.user, request=request, **form.cleaned_data)
        except DecisionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("资金记录已登记，已通知申报单位。"))
            return redirect("decisions:application", pk=app.pk)
    return application_detail(request, pk, funding_form=form)


# ---- 公示 (province side) ------------------------------------------------------------------------


@requires("decisions.manage")
def publications(request):
    """The 公示 list, and publishing one batch's approved applications (`?batch=`, the default batch)."""
    chosen = batch_context(request)
    form = PublicationForm(request.POST or None, batch_id=chosen["batch"].batch_id)
    if not request.POST:
        form.initial["applications"] = list(form.fields["applications"].queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            publication = services.publication_create(
                applications=data["applications"], working_days=data["working_days"], title=data["title"],
                contact=data["contact"], user=request.user, request=request)
        except DecisionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("已公示 %(n)s 个项目，公示期%(period)s。") % {
                "n": publication.items.count(), "period": services.period_text(publication)})
            return redirect("decisions:publication", pk=publication.pk)
    return render(request, "decisions/publications.html", {**chosen,
        "form": form, "publications": selectors.publications(), "now": clock.now(),
    })


@requires("decisions.manage")
def publication_detail(request, pk: int, *, answer_forms=None):
    publication = get_object_or_404(Publication, pk=pk)
    answer_forms = answer_forms or {}
    rows = [(o, answer_forms.get(o.pk) or AnswerForm(prefix=f"o{o.pk}", objection=o))
            for o in selectors.objections_of(publication)]
    return render(request, "decisions/publication.html", {
        "publication": publication, "items": publication.items.all(), "rows": rows, "now": clock.now(),
        "is_open": publication.is_open(clock.now()), "period": services.period_text(publication),
    })


@require_POST
@requires("decisions.manage")
def objection_answer(request, pk: int):
    objection = get_object_or_404(Objection, pk=pk)
    form = AnswerForm(request.POST, prefix=f"o{objection.pk}", objection=objection)
    if form.is_valid():
        item = selectors.publication_item(objection.publication, form.cleaned_data.get("item") or "")
        try:
            services.objection_answer(objection, answer=form.cleaned_data["answer"],
                                      outcome=form.cleaned_data["outcome"], item=item, user=request.user,
                                      request=request)
        except DecisionError as exc:
            objection.refresh_from_db()
            if objection.status == ObjectionStatus.ANSWERED:  # answered meanwhile: its form is gone from the page
                return _refused_on_page(request, exc, "decisions:publication", pk=objection.publication_id,
                                        anchor=f"objection-{objection.pk}")
            add_to_form(form, exc)
        else:
            messages.success(request, _("异议 %(reference)s 已答复并记录。") % {"reference": objection.reference})
            return redirect("decisions:publication", pk=objection.publication_id)
    return publication_detail(request, objection.publication_id, answer_forms={objection.pk: form})


@requires("decisions.manage")
def objection_attachment(request, pk: int):
    attachment = get_object_or_404(selectors.objection_attachments(), pk=pk)
    handle = open_or_404(services.objection_attachment_name(attachment))
    audit_record("decisions.objection_attachment_download", request=request, obj=attachment,
                 detail={"objection": attachment.objection.reference})
    return FileResponse(handle, content_type=attachment.content_type, as_attachment=True,
                        filename=attachment.original_name)


# ---- expert pages --------------------------------------------------------------------------------


@requires("decisions.expert")
def expert_home(request):
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_add(expert=request.user, user=request.user, request=request, **form.cleaned_data)
        except DecisionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("回避单位已申报。涉及该单位的申报不会分配给您。"))
            return redirect("decisions:expert_home")
    return render(request, "decisions/expert_home.html", {
        "assignments": selectors.assignments_for_expert(request.user), "form": form,
        "declarations": request.user.conflict_declarations.all(),
    })


def assignment_of(pk, **_url) -> Assignment | None:
    """The URL's assignment; assignment.view then lets only its own expert in (any other, or
    another expert's, is a 404, not a 403)."""
    return selectors.assignments_with("application__organisation", "panel").filter(pk=pk).first()


@requires("assignment.view", assignment_of)
def expert_assignment(request, assignment, **_url):
    app = assignment.application
    sheet = selectors.sheet_for(app)
    initial = {}
    if assignment.scored:
        initial = {f"score_{k}": v for k, v in assignment.scores.items()}
        initial.update({f"fact_{k}": "yes" if v else "no" for k, v in assignment.review_facts.items()})
        initial["comment"] = assignment.comment
    can_score, why_not = check(request.user, "assignment.score", assignment)
    if sheet is None:  # the batch's pack in force has no sheet for this clause (any more)
        can_score, why_not = False, _("该申报所属批次的政策包没有该条款的评分表，不能评分，请联系省科技厅。")
    form = ScoreForm(request.POST or None, sheet=sheet, initial=initial) if sheet else None
    if request.method == "POST":
        if not can_score:
            messages.error(request, why_not)
            return redirect("decisions:expert_assignment", pk=assignment.pk)
        if form.is_valid():
            try:
                services.assignment_score(assignment, scores=form.scores(), review_facts=form.review_facts(),
                                          comment=form.cleaned_data.get("comment", ""), user=request.user,
                                          request=request)
            except DecisionError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("评分已提交。在省科技厅作出决定前您可以修改。"))
                return redirect("decisions:expert_home")
    snapshot = latest_submission(app)
    return render(request, "decisions/expert_assignment.html", {
        "assignment": assignment, "app": app, "sheet": sheet, "form": form, "can_score": can_score,
        "answers": answer_rows(snapshot),
        "materials": policy_bridge.labelled_materials(app), "previewable": _previewable(),
        "why_not": why_not, "snapshot": snapshot,
        "verdict": selectors.snapshot_verdict(app),
    })


def _previewable():
    from duixian.applications.preview import PREVIEWABLE

    return PREVIEWABLE


@requires("assignment.view", assignment_of)
def expert_material_preview(request, assignment, material_id: int, **_url):
    """An assigned expert reads a material in the browser (PDF, image, DOCX as text)."""
    from django.urls import reverse

    from duixian.applications.preview import preview_response

    app = assignment.application
    material = get_object_or_404(app.materials, pk=material_id)
    response = preview_response(request, material, label=policy_bridge.material_label(app, material.slot),
                                download_url=reverse("decisions:expert_material", args=[assignment.pk, material.pk]))
    audit_record("decisions.expert_material_view", request=request, obj=material,
                 detail={"application": app.pk, "assignment": assignment.pk, "slot": material.slot})
    return response


@requires("assignment.view", assignment_of)
def expert_material(request, assignment, material_id: int, **_url):
    """An assigned expert reads the application's materials (and nobody else through this door)."""
    from duixian.applications.materials import material_open

    material = get_object_or_404(assignment.application.materials, pk=material_id)
    try:
        handle = material_open(material)
    except FileNotFoundError:
        raise Http404(_("材料文件不存在。")) from None
    audit_record("decisions.expert_material_download", request=request, obj=material,
                 detail={"application": assignment.application_id, "assignment": assignment.pk, "slot": material.slot})
    return FileResponse(handle, content_type=material.content_type, as_attachment=True,
                        filename=material.original_name)
