"""Applicant pages: 我的申报, the task list, generated forms, materials, 确认信息, status.

Views are thin: each declares the action that guards it (``@requires``, duixian.authz;
a refusal to see is a 404), calls services, and renders.
Every form works without JavaScript; with it (static/duixian/autosave.js) the section forms
save in the background, the server answering with the outcome only (never the inputs), and
conditional questions show as soon as their condition holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from duixian.applications import docs, policy_bridge, questions as q
from duixian.applications.answer_rows import date_answer_text
from duixian.applications.check_tables import answer_tables, material_links, material_table
from duixian.applications.forms import CreateApplicationForm, MaterialUploadForm, SectionForm, SubmitForm, WithdrawForm
from duixian.applications.materials import MaterialError, MaterialLocked, material_open, material_store
from duixian.applications.models import ApplicationState, Material, ReceiptOutcome
from duixian.applications.notifications import notifications_for
from duixian.applications.panel import verdict_panel
from duixian.applications.preview import PREVIEWABLE, preview_response
from duixian.applications.receipts import (
    poll_delay,
    receipt_pending,
    receipt_queue_place,
    receipt_refused_since_last_submission,
    submission_receive,
    submission_take,
)
from duixian.authz import check, checked_in_query, requires
from duixian.applications.selectors import (
    answers_of,
    application_of,
    application_verdict,
    applications_visible_to,
    incomplete_items,
    latest_return,
    material_states,
    task_list,
    token_received,
)
from duixian.applications.services import (
    ApplicationError,
    amount_problem,
    application_copy,
    application_create,
    application_save_answers,
    application_withdraw,
    creation_batch,
    creation_closed,
    organisation_can_submit,
)
from duixian.applications.workflow import (
    TransitionError,
    can_fire,
    in_window,
    new_token,
    submit_action,
)
from duixian.audit.services import audit_record
from duixian.core.clients import client_ip
from duixian.core import clock, memos
from duixian.policy.active import batches, open_batches
from duixian.core.errors import add_to_form
from duixian.core.phases import deadline_statement

try:  # django-csp, when its middleware is on, must allow our own pages to frame the preview
    from csp.decorators import csp_update
except ImportError:  # pragma: no cover
    def csp_update(**_kwargs):
        return lambda view: view


def _to_status(request, app, decision):
    """A refusal the user may be told (the application is theirs to see): the reason, on its status page."""
    messages.info(request, decision.reason)
    return redirect("applications:status", pk=app.pk)


def _window_context(app=None, pack=None) -> dict:
    """The windows of the application's batch (of `pack`, else the default batch, on pages
    without one)."""
    pack = policy_bridge.application_pack(app) if app is not None else (pack or policy_bridge.get_pack())
    return {"pack": pack, **_window_texts(pack), "server_now": clock.now()}


# A few batches in two languages; a demo moving its windows makes more.
_WINDOW_TEXTS: memos.TextMemo = memos.text_memo(64)


def _window_texts(pack) -> dict:
    """The windows in words, worked out once per batch's moments and language (five dates in a
    translated format and two sentences: the same for every page of every application of a batch)."""
    key = (pack.application_open, pack.application_close, pack.city_review_deadline, translation.get_language())
    texts = _WINDOW_TEXTS.get(key)
    if texts is None:
        texts = {
            "open_text": policy_bridge.format_moment(pack.application_open),
            "close_text": policy_bridge.format_moment(pack.application_close),
            "city_deadline_text": policy_bridge.format_moment(pack.city_review_deadline),
            # docs/decisions/0001: every applicant page says the last accepted second, from the pack.
            "close_statement": deadline_statement(pack.application_close),
            "city_deadline_statement": deadline_statement(pack.city_review_deadline),
        }
        _WINDOW_TEXTS.put(key, texts)
    return texts


def _verdict_context(app, answers=None, *, moment=None, known=None) -> dict:
    """The live verdict panel. `known` is (answers, verdict) already computed in this request at
    this `moment`: used when the answers are the same (the same facts give the same verdict)."""
    if known is not None and answers is not None and known[0] == answers:
        verdict = known[1]
    else:
        verdict = application_verdict(app, answers=answers, moment=moment)
    return {"verdict": verdict, "verdict_panel": verdict_panel(verdict)}


@requires("signed_in")
def my_applications(request):
    allowed = check(request.user, "application.create").allowed
    apps = applications_visible_to(request.user).order_by("-created_at")
    return render(request, "applications/list.html", {
        "applications": apps, "can_create": allowed, "creation_closed": creation_closed() if allowed else "",
        "several_batches": len(batches()) > 1,
        **_window_context(),
    })


@requires("application.create")
def application_new(request):
    pack = creation_batch(batch_id=request.POST.get("batch") or request.GET.get("batch") or "")
    batch_context = {"batch": pack, "choices": policy_bridge.clause_choices(pack), "other_batches": [
        other for other in open_batches(clock.now()) if other.batch_id != pack.batch_id], **_window_context(pack=pack)}
    closed = creation_closed(pack=pack)
    if closed:  # say so here, instead of a form that fails when it is sent
        return render(request, "applications/new.html", {"closed": closed, **batch_context},
                      status=409 if request.method == "POST" else 200)
    form = CreateApplicationForm(request.POST or None, pack=pack,
                                 initial={"choice": request.GET.get("clause", ""), "batch": pack.batch_id})
    if request.method == "POST" and form.is_valid():
        clause, _dot, app_type = form.cleaned_data["choice"].partition(".")
        try:
            app = application_create(user=request.user, clause=clause, application_type=app_type,
                                     project_name=form.cleaned_data["project_name"], batch_id=pack.batch_id,
                                     request=request)
        except ApplicationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("申报草稿已创建，请按任务清单逐项填写。填写内容会自动保存。"))
            return redirect("applications:tasks", pk=app.pk)
    return render(request, "applications/new.html", {"form": form, **batch_context})


@requires("application.view", application_of)
def application_detail(request, app, **_url):
    if check(request.user, "application.edit", app):
        return redirect("applications:tasks", pk=app.pk)
    return redirect("applications:status", pk=app.pk)


@requires("application.edit", application_of, refused=_to_status)
def tasks(request, app, **_url):
    from duixian.applications.task_items import task_items

    answers = answers_of(app)
    items = task_list(app, answers=answers)
    return render(request, "applications/tasks.html", {
        "app": app, "tasks": items, "task_items": task_items(app, items), "returned": latest_return(app) if app.state == ApplicationState.RETURNED else None,
        # the return's items are named by the checklist: only a returned application's page shows them
        "checklist": {i.id: i.text for i in policy_bridge.checklist_items(app.clause, policy_bridge.application_pack(app))}
        if app.state == ApplicationState.RETURNED else {},
        "amount_withheld": q.amount_withheld(app.clause, app.application_type, answers, policy_bridge.application_pack(app)),
        "choice": policy_bridge.clause_choice(app.clause, app.application_type, policy_bridge.application_pack(app)),
        **_verdict_context(app, answers), **_window_context(app),
    })


def _autosave_request(request) -> bool:
    """A save sent by autosave.js (a header, or `?autosave=1` when the page is being left and
    the browser sends it as a beacon, which carries no headers)."""
    return request.method == "POST" and (
        request.headers.get("X-Duixian-Autosave") == "1" or request.GET.get("autosave") == "1")


def _changed_here(values: dict, data, sec, answers: dict) -> dict:
    """The answers this page changed. autosave.js names the fields the applicant changed on it
    (`autosave_fields`, also for the button's save and the beacon): the other fields carry what
    the page showed when it was opened, which another tab or person may have saved over since.
    Without JavaScript nothing is named and the whole form is what the applicant saves. A
    multiple-choice group not answered yet counts as “none ticked” (没有则不选) all the same."""
    if "autosave_fields" not in data:
        return values
    named = set(data.get("autosave_fields", "").split(","))
    wanted = {x.name for x in sec.questions if x.field_name in named or f"{x.field_name}__not_done" in named
              or x.kind == "multi" and x.name not in answers}
    return {name: value for name, value in values.items() if name in wanted}


def _section_refused(request, app, decision):
    if _autosave_request(request):  # the page says so where it says 保存失败, instead of a redirect it cannot follow
        return JsonResponse({"saved": False, "message": decision.reason}, status=409)
    return _to_status(request, app, decision)


@requires("application.edit", application_of, refused=_section_refused)
def section(request, app, key, **_url):
    autosave = _autosave_request(request)
    sec = q.section_by_key(app.clause, app.application_type, key, policy_bridge.application_pack(app))
    if sec is None:
        raise Http404(_("没有这一部分。"))
    answers = answers_of(app)
    moment = clock.now()  # one moment for every verdict on this page
    known = None
    # Typing into a draft that can no longer be submitted leads nowhere: the page says so (and
    # each autosave, for a page opened before the closing second), the saves still keep it.
    window_open, window_reason = in_window(submit_action(app.state), app, moment=moment)
    window_reason = "" if window_open else window_reason
    if request.method == "POST":
        shown_before = {x.name for x in sec.visible_questions(answers)}
        form = SectionForm(request.POST, section=sec, answers=answers, application=app)
        form.is_valid()  # also settles which questions are asked, given the answers sent
        values = _changed_here(form.answered_values(), request.POST, sec, answers)
        if "amount_requested_wan" in values and values["amount_requested_wan"] is not None:
            merged = {**answers, **{k: v for k, v in values.items() if v is not q.REMOVE}}
            known = (merged, application_verdict(app, answers=merged, moment=moment))
            problem = amount_problem(app, values["amount_requested_wan"], verdict=known[1])
            if problem:
                form.add_error("amount_requested_wan", problem)
                values.pop("amount_requested_wan")
        organisation = app.organisation  # fetched with the application; the save drops it
        try:
            saved = application_save_answers(app, values, user=request.user, request=request)
        except ApplicationError as exc:
            if autosave and not exc.field:  # no longer editable (submitted from another tab meanwhile)
                return JsonResponse({"saved": False, "message": exc.message}, status=409)
            add_to_form(form, exc, field=exc.field.replace(".", "__") if exc.field else None)
        else:
            if saved.organisation_id == organisation.pk:
                saved.organisation = organisation  # no second read for the verdict's profile facts
            app = saved
        answers = answers_of(app)
        if autosave:
            # Only the outcome: never the inputs, which the applicant may have typed on into
            # while this was on its way (autosave.js puts each error beside its field).
            return JsonResponse({
                "saved": True,
                "saved_at": clock.local_now().strftime("%H:%M:%S"),
                "errors": {name: [str(e) for e in errors] for name, errors in form.errors.items() if name != "__all__"},
                "non_field_errors": [str(e) for e in form.non_field_errors()] + ([window_reason] if window_reason else []),
                "verdict_html": _verdict_context(app, answers, moment=moment, known=known)["verdict_panel"],
            })
        # Questions that came up with these answers and are still unanswered (without
        # JavaScript the page shows them only now).
        newly_shown = {x.name for x in form.visible_questions if x.name not in shown_before and x.name not in answers}
        if not form.errors and not newly_shown:
            messages.success(request, _("“%(section)s”已保存。") % {"section": sec.title})
            return redirect("applications:tasks", pk=app.pk)
        if newly_shown and not form.errors:
            messages.info(request, _("根据您的回答，需要补充回答新出现的问题。"))
    else:
        form = SectionForm(section=sec, answers=answers, application=app)
    choice = policy_bridge.clause_choice(app.clause, app.application_type, policy_bridge.application_pack(app))
    return render(request, "applications/section.html", {
        "app": app, "section": sec, "form": form, "choice": choice, "window_reason": window_reason,
        "amount_withheld": q.amount_withheld(app.clause, app.application_type, answers, policy_bridge.application_pack(app)), **_verdict_context(app, answers, moment=moment, known=known),
    })


@requires("application.view", application_of)
def materials(request, app, **_url):
    allowed, reason = check(request.user, "application.edit", app)
    return render(request, "applications/materials.html", {
        "app": app, "slots": material_states(app), "can_edit": allowed, "form": MaterialUploadForm(),
        "upload_error": "", "error_slot": "",  # none (named: a name the template misses costs it an exception)
        "edit_refusal": reason, "delivery_duty": policy_bridge.delivery_duty_text(policy_bridge.application_pack(app)), "previewable": PREVIEWABLE,
    })


def _upload_refused(request, app, decision):
    messages.error(request, decision.reason)
    return redirect("applications:materials", pk=app.pk)


@require_POST
@requires("application.edit", application_of, refused=_upload_refused)
def material_upload(request, app, slot, **_url):
    slots = {s.id: s for s in policy_bridge.material_slots(app.clause, app.application_type, policy_bridge.application_pack(app))}
    if slot not in slots:
        raise Http404(_("没有这一项材料。"))
    form = MaterialUploadForm(request.POST, request.FILES)
    error = ""
    if form.is_valid():
        try:
            material = material_store(app, slot, form.cleaned_data["file"], user=request.user, audit=lambda material: (
                audit_record("material.upload", request=request, obj=material, detail={
                    "application": app.pk, "slot": slot, "sha256": material.sha256, "size": material.size})))
        except MaterialLocked as exc:  # submitted meanwhile (another tab): the page now shows it so
            audit_record("material.upload", request=request, obj=app, outcome="refused", detail={"slot": slot, "error": exc.message})
            messages.error(request, exc.message)
            return redirect("applications:materials", pk=app.pk)
        except MaterialError as exc:
            error = exc.message
        else:
            messages.success(request, _("“%(slot)s”已上传：%(file)s") % {"slot": slots[slot].name, "file": material.original_name})
            return redirect(reverse("applications:materials", args=[app.pk]) + f"#slot-{slot}")
    else:
        error = _("；").join(form.errors.get("file", [_("上传失败，请重试。")]))
    audit_record("material.upload", request=request, obj=app, outcome="refused", detail={"slot": slot, "error": error})
    return render(request, "applications/materials.html", {
        "app": app, "slots": material_states(app), "can_edit": True, "form": MaterialUploadForm(),
        "upload_error": error, "error_slot": slot, "delivery_duty": policy_bridge.delivery_duty_text(policy_bridge.application_pack(app)),
        "previewable": PREVIEWABLE,
    }, status=400)


@requires("application.view", application_of)
def material_download(request, app, material_id, **_url):
    material = get_object_or_404(Material, pk=material_id, application=app)
    try:
        handle = material_open(material)
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    audit_record("material.download", request=request, obj=material,
                 detail={"application": app.pk, "reference": app.reference or "", "slot": material.slot})
    return FileResponse(handle, as_attachment=True, filename=material.original_name,
                        content_type=material.content_type)


@xframe_options_sameorigin
@csp_update(FRAME_ANCESTORS="'self'")
@requires("application.view", application_of)
def material_preview(request, app, material_id, **_url):
    """A material read in the browser (PDF, image, DOCX as text) by whoever may open the application."""
    material = get_object_or_404(Material, pk=material_id, application=app)
    slots = {s.id: s for s in policy_bridge.material_slots(app.clause, app.application_type, policy_bridge.application_pack(app))}
    response = preview_response(request, material, label=slots[material.slot].label if material.slot in slots else "",
                                download_url=reverse("applications:material_download", args=[app.pk, material.pk]))
    audit_record("material.view", request=request, obj=material,
                 detail={"application": app.pk, "reference": app.reference or "", "slot": material.slot})
    return response


def _check_refused(request, app, decision):
    # A double click or a replayed request: the first one left the draft, so this one is refused
    # as not editable; show the result of the first one instead (submission_receive guards the rest).
    if request.method == "POST" and request.POST.get("token") and token_received(app, request.POST["token"]):
        return redirect("applications:confirmation", pk=app.pk)
    return _to_status(request, app, decision)


@checked_in_query("application.edit", application_of)
def check_answers(request, pk):
    """确认信息 and the submit press. A plain press is taken first in one statement that carries
    the application.edit rule itself (an editor of the application's organisation, a state the
    button fires from), the hot path of the deadline's last hour; anything else is the guarded page."""
    if request.method == "POST" and submission_take(
            pk, user=request.user, token=request.POST.get("token", ""), declaration=request.POST.get("declaration"),
            ip=client_ip(request)):
        return redirect("applications:confirmation", pk=pk)  # queued: taken in one write, checked by a worker
    return _check_answers_page(request, pk=pk)


@requires("application.edit", application_of, refused=_check_refused)
def _check_answers_page(request, app, **_url):
    if settings.SUBMISSIONS_QUEUED and request.method == "GET" and receipt_pending(app):
        return redirect("applications:confirmation", pk=app.pk)  # pressed already: being checked
    action = submit_action(app.state)
    token = request.POST.get("token") or new_token()
    form = SubmitForm(request.POST or None, initial={"token": token, "expected_state": app.state})
    submit_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            receipt = submission_receive(app, user=request.user, token=form.cleaned_data["token"],
                                         declaration=form.cleaned_data["declaration"], request=request)
        except TransitionError as exc:
            submit_error = exc.message
            audit_record(f"application.{action}", request=request, obj=app, outcome="refused",
                         detail={"error": exc.message})
        else:
            if receipt.outcome != ReceiptOutcome.REFUSED:  # accepted, or queued: the next page tells
                return redirect("applications:confirmation", pk=app.pk)
            submit_error = receipt.message  # checked in this request and refused (already audited)
    from duixian.applications.check_tables import answer_text, submit_fields

    answers = answers_of(app)
    sections = []
    for sec in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app)):
        rows = [(x, answer_text(x, answers, _display)) for x in sec.visible_questions(answers)]
        sections.append((sec, rows))
    moment = clock.now()  # one moment for the window and the verdict's submitted_at
    window_ok, window_reason = can_fire(request.user, app, action, moment=moment)
    org_ok, org_reason = organisation_can_submit(app.organisation)
    slots = material_states(app)
    return render(request, "applications/check.html", {
        "app": app, "sections": sections, "slots": slots, "form": form, "submit_fields": submit_fields(form),
        "answer_tables": answer_tables(app, sections), "material_table": material_table(app, slots),
        "missing": incomplete_items(app, answers=answers, slots=slots), "submit_error": submit_error,
        "window_ok": window_ok, "window_reason": window_reason, "org_ok": org_ok, "org_reason": org_reason,
        "amount_withheld": q.amount_withheld(app.clause, app.application_type, answers, policy_bridge.application_pack(app)), "action": action,
        **_verdict_context(app, answers, moment=moment), **_window_context(app),
    })


def _display(question: q.Question, answers: dict) -> str:
    if question.name not in answers:
        return _("未填写")
    value = answers[question.name]
    if question.kind == "bool":
        return {True: _("是"), False: _("否")}.get(value, _("未填写"))
    if question.kind == "nullable_date" and value is None:
        return _("尚未完成")
    if question.kind in ("date", "nullable_date") and value not in (None, ""):
        return date_answer_text(value)
    if question.kind == "choice":
        return str(dict(question.choices).get(value, value))
    if question.kind == "region":
        from duixian.codes.divisions import OUTSIDE_ANHUI, region_label

        return _("安徽省外的地市或县区") if value == OUTSIDE_ANHUI else (region_label(value) or str(value))
    if question.kind == "multi":
        labels = dict(question.choices)
        return _("、").join(str(labels.get(v, v)) for v in value) or _("无")
    if question.kind == "decimal":
        return _("%(amount)s 万元") % {"amount": value}
    return str(value) if value not in (None, "") else _("未填写")


@requires("application.view", application_of)
def confirmation(request, app, **_url):
    """After the submit button: being checked (refreshes itself), refused with the reason, or done."""
    now = clock.now()
    where = receipt_queue_place(app.pk, app.organisation_id, now=now)
    if where.pending:  # the page that thousands may be looking at in the last minutes: nothing more to read
        return render(request, "applications/confirmation.html", {
            "app": app, "pending": True, "received_at": where.received_at,
            "since": int(where.received_at.timestamp()), "delay": poll_delay(now - where.received_at, where, now=now)})
    refused = receipt_refused_since_last_submission(app)
    if app.first_submitted_at is None and not refused:
        return redirect("applications:detail", pk=app.pk)
    answers = answers_of(app)
    return render(request, "applications/confirmation.html", {
        "app": app, "refused": refused, "amount_withheld": q.amount_withheld(app.clause, app.application_type, answers, policy_bridge.application_pack(app)), **_window_context(app),
    })


@checked_in_query("application.poll", application_of)
def confirmation_poll(request, pk):
    """Asked by the confirmation page (HTMX) while a press is being checked: the poller again,
    with the next delay (from its place in the queue and the workers' pace), while it is; else a
    reload of the page, which shows the outcome. One query, so that thousands of waiting
    applicants cost the server little. `since` (the press's time, from the page) only sets the
    delay while the workers have no pace to go by."""
    now = clock.now()
    where = receipt_queue_place(pk, getattr(request.user, "organisation_id", None), now=now)
    if where is None:
        raise Http404(_("申报不存在。"))
    if not request.headers.get("HX-Request"):
        return redirect("applications:confirmation", pk=pk)
    if not where.pending:
        return HttpResponse(headers={"HX-Refresh": "true"})
    try:
        since = int(request.GET.get("since", ""))
        waited = now - datetime.fromtimestamp(since, tz=UTC)
    except (ValueError, OverflowError, OSError):  # a mangled time only makes the page ask sooner
        since, waited = int(now.timestamp()), timedelta(0)
    return render(request, "applications/_receipt_poll.html",
                  {"pk": pk, "since": since, "delay": poll_delay(waited, where, now=now)})


@requires("application.view", application_of)
def status(request, app, **_url):
    from duixian.applications.history_html import history_rows
    from duixian.applications.status_reads import latest_snapshot_shown
    from duixian.applications.workflow import TRANSITIONS

    # the snapshot's pack version and verdict status, not the whole snapshot
    snapshot, snapshot_verdict = latest_snapshot_shown(app)
    checklist = {i.id: i.text for i in policy_bridge.checklist_items(app.clause, policy_bridge.application_pack(app))}
    can_edit = check(request.user, "application.edit", app).allowed
    materials = policy_bridge.labelled_materials(app)
    can_copy = app.state == ApplicationState.WITHDRAWN and check(request.user, "application.copy", app).allowed
    # the page offers one action, 撤回: only it is asked (available_actions asks all twelve)
    withdraw = TRANSITIONS["withdraw"]
    return render(request, "applications/status.html", {
        "can_copy": can_copy, "copy_closed": creation_closed(pack=policy_bridge.application_pack(app)) if can_copy else "",
        "app": app, "snapshot": snapshot, "history_rows": history_rows(app, checklist), "checklist": checklist,
        "actions": [withdraw] if can_fire(request.user, app, withdraw.action)[0] else [], "can_edit": can_edit,
        "returned": latest_return(app) if app.state == ApplicationState.RETURNED else None,
        "snapshot_verdict": snapshot_verdict,
        "materials": materials, "material_links": material_links(app, materials), **_window_context(app),
    })


@requires("application.withdraw", application_of)
def withdraw(request, app, **_url):
    """撤回申报, in two steps without JavaScript: this page asks (with the reason), and only its
    own 确认撤回 button withdraws."""
    allowed, reason = can_fire(request.user, app, "withdraw")
    if not allowed:
        messages.info(request, reason)
        return redirect("applications:status", pk=app.pk)
    form = WithdrawForm(request.POST or None, initial={"expected_state": app.state})
    if request.method == "POST" and request.POST.get("confirm") == "yes" and form.is_valid():
        try:
            application_withdraw(app, user=request.user, reason=form.cleaned_data.get("reason", ""),
                                 expected_state=form.cleaned_data.get("expected_state") or app.state, request=request)
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申报已撤回。如需再次申报，可在申报截止前将其复制为新草稿。"))
        return redirect("applications:status", pk=app.pk)
    return render(request, "applications/withdraw_confirm.html", {"app": app, "form": form, **_window_context(app)})


@require_POST
@requires("application.copy", application_of)
def copy_application(request, app, **_url):
    """A withdrawn application copied into a new draft (facts, project, contact; not materials)."""
    try:
        copy = application_copy(app, user=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("applications:status", pk=app.pk)
    messages.success(request, _("已将撤回的申报复制为新草稿，填写内容已带入；申报材料请重新上传，核对无误后提交。"))
    return redirect("applications:tasks", pk=copy.pk)


@requires("application.view", application_of)
def summary_docx(request, app, **_url):
    content = docs.application_summary_docx(app)
    audit_record("application.export_summary", request=request, obj=app, detail={"reference": app.reference or ""})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = f"{app.reference or '申报草稿'}-申报信息.docx"
    response["Content-Disposition"] = docs.attachment_header(name)
    return response


@requires("signed_in")
def material_template(request, key):
    clause, _dot, app_type = key.partition(".")
    pack = creation_batch(batch_id=request.GET.get("batch", ""))
    choice = policy_bridge.clause_choice(clause, app_type, pack)
    if choice is None:
        raise Http404(_("本批次不受理该条款的申报。"))
    content = docs.materials_template_docx(choice, pack)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = docs.attachment_header(f"申报材料模板-第{clause}条{('-' + app_type) if app_type else ''}.docx")
    return response


@requires("signed_in")
def notifications(request):
    items = list(notifications_for(request.user)[:100])
    unread = [n.pk for n in items if n.read_at is None]
    if unread:
        notifications_for(request.user).filter(pk__in=unread).update(read_at=clock.now())
    return render(request, "applications/notifications.html", {"items": items, "unread": set(unread)})
