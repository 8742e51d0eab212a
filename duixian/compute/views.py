"""Compute-subsidy pages (/compute/): the province's imports, runs, review, publication and
objections; an organisation's own published result (/compute/mine/). Views are thin: the
permission functions decide who sees what (404 otherwise), services write and audit.

Runs are per batch: the page lists and starts the runs of the `?batch=` batch (the default batch
without it), and a run's pages and files read its own batch's pack."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import check, requires
from duixian.audit.services import audit_record
from duixian.core import clock
from duixian.core.errors import add_to_form
from duixian.core.stored_files import open_or_404

from .engine import BUCKET_LABELS, BUCKETS
from .forms import MeteringUploadForm, ObjectionForm, PublishForm, ResolveForm
from .models import RunStatus, SubsidyRun
from .selectors import (
    compute_jobs,
    compute_jobs_unfinished,
    compute_money,
    job_progress,
    metering_imports,
    open_objection_count,
    organisation_names,
    subsidy_amount_yuan,
    subsidy_objections,
    subsidy_results_of_organisation,
    subsidy_results_final,
    subsidy_run_current,
    subsidy_run_published,
    subsidy_runs,
    subsidy_runs_counted,
)
from .services import (
    ComputeError,
    compute_job_import_start,
    compute_job_run_start,
    subsidy_objection_resolve,
    subsidy_objection_submit,
    subsidy_result_breakdown,
    subsidy_result_confirm,
    subsidy_run_publish,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _pack(run):
    """The pack of a run's batch: its money, clause name and units."""
    from duixian.policy.active import pack_of

    return pack_of(run.batch_id)


def _compute_clause(pack) -> str:
    """The 免申即享 clause as the pack names it, with its short title."""
    from .selectors import compute_money

    number = compute_money(pack).clause
    return f"{pack.clause_name(number)}“{pack.clause(number).short_title}”" if number is not None else ""


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the province ---------------------------------------------------------------------------


@requires("compute.manage")
def home(request, upload_form=None, status=200):
    """Imports (with counts and who made them), runs, the upload form and 'start a run'."""
    from duixian.policy.batch_choice import batch_context

    chosen = batch_context(request)
    batch = chosen["batch"]
    return render(request, "compute/home.html", {
        **chosen, "compute_clause": _compute_clause(batch),
        "imports": metering_imports()[:50],
        "runs": subsidy_runs_counted(20, batch_id=batch.batch_id),
        "current": subsidy_run_current(batch.batch_id),
        "published": subsidy_run_published(batch.batch_id),
        "jobs": compute_jobs_unfinished(10),
        "upload_form": upload_form or MeteringUploadForm(),
        "open_objections": open_objection_count(),
        "max_mb": getattr(settings, "METERING_UPLOAD_MAX_MB", 200),
    }, status=status)


@require_POST
@requires("compute.manage")
def upload(request):
    form = MeteringUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return home(request, form, status=400)
    try:
        job = compute_job_import_start(upload=form.cleaned_data["file"], user=request.user, request=request)
    except ComputeError as e:
        add_to_form(form, e)
        return home(request, form, status=400)
    return redirect("compute:job", pk=job.pk)


@require_POST
@requires("compute.manage")
def run_start(request):
    """Start a run of the batch the page was showing (the form's `batch`)."""
    from duixian.policy.active import has_batch

    batch_id = request.POST.get("batch", "")
    try:
        job = compute_job_run_start(user=request.user, batch_id=batch_id if has_batch(batch_id) else "",
                                    request=request)
    except ComputeError as e:
        messages.error(request, e.message)
        return redirect(reverse("compute:home") + ("?" + urlencode({"batch": batch_id}) if has_batch(batch_id) else ""))
    return redirect("compute:job", pk=job.pk)


@requires("compute.manage")
def job(request, pk):
    """A background import or run: its progress while it works, then its outcome (every bad
    line of a refused file). Polled by HTMX until it is over."""
    job = get_object_or_404(compute_jobs(), pk=pk)
    progress = job_progress(job)
    waited = (clock.now() - job.created_at).total_seconds() if job.status == "queued" else 0
    context = {"job": job, "progress": progress, "stalled": waited > 15}
    template = "compute/_job.html" if request.headers.get("HX-Request") else "compute/job.html"
    return render(request, template, context)


def _result_rows(run, pack):
    rows = []
    for r in run.results.all():
        r.excluded_list = [(BUCKET_LABELS[b], getattr(r, f"excluded_{b}")) for b in BUCKETS]
        r.yuan = subsidy_amount_yuan(r.subsidy_quantity, pack) if r.subsidy_quantity > 0 else None
        rows.append(r)
    return rows


@requires("compute.manage")
def run_detail(request, pk, publish_form=None, status=200):
    """Review a run: every organisation with its quantities, buckets, eligibility and reasons."""
    run = get_object_or_404(subsidy_runs(), pk=pk)
    pack = _pack(run)
    rows = _result_rows(run, pack) if run.status == RunStatus.SUCCEEDED else []
    current = subsidy_run_current(run.batch_id)
    today = clock.now().astimezone(clock.SHANGHAI).date()
    return render(request, "compute/run.html", {
        "run": run, "rows": rows, "buckets": [BUCKET_LABELS[b] for b in BUCKETS],
        "is_current": current is not None and current.pk == run.pk,
        "publish_form": publish_form or PublishForm(initial={"objection_last_day": today}),
        "objections": subsidy_objections().filter(result__run=run),
        "subsidised": sum(1 for r in rows if r.subsidy_quantity > 0),
        "imports": run.imports.all(), "pack": pack, "base_unit": compute_money(pack).base_unit,
    }, status=status)


@require_POST
@requires("compute.manage")
def run_publish(request, pk):
    run = get_object_or_404(SubsidyRun, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return run_detail(request, pk, form, status=400)
    try:
        subsidy_run_publish(run, user=request.user, last_day=form.cleaned_data["objection_last_day"],
                            request=request)
    except ComputeError as e:
        if e.field is None:  # about the run itself (already published, not the latest)
            messages.error(request, e.message)
            return redirect("compute:run", pk=run.pk)
        add_to_form(form, e)
        return run_detail(request, pk, form, status=400)
    messages.success(request, _("计算#%(run)s已发布，各单位可在异议期内确认或提出异议。") % {"run": run.pk})
    return redirect("compute:run", pk=run.pk)


@requires("compute.manage")
def run_export(request, pk):
    """The subsidy list (xlsx, Chinese headers)."""
    run = get_object_or_404(SubsidyRun, pk=pk, status=RunStatus.SUCCEEDED)
    from .exports import subsidy_list_xlsx

    content = subsidy_list_xlsx(run, list(run.results.all()), _pack(run))
    audit_record("subsidy.export_list", request=request, obj=run, detail={"format": "xlsx"})
    return _attachment(content, f"算力补助名单-计算{run.pk}.xlsx", XLSX)


def _statement(request, result):
    from .exports import statement_docx

    breakdown = subsidy_result_breakdown(result)
    names = organisation_names([p["uscc"] for p in breakdown.get("providers", [])])
    content = statement_docx(result, breakdown, _pack(result.run), names)
    audit_record("subsidy.export_statement", request=request, obj=result,
                 detail={"run": result.run_id, "uscc": result.uscc, "format": "docx"})
    return _attachment(content, f"算力补助结果告知单-{result.uscc}-计算{result.run_id}.docx", DOCX)


@requires("compute.manage")
def result_statement(request, pk):
    """The province downloads one organisation's statement (docx)."""
    return _statement(request, get_object_or_404(subsidy_results_final(), pk=pk))


@requires("compute.manage")
def result_detail(request, pk):
    """The province's view of one organisation's result with the breakdown."""
    result = get_object_or_404(subsidy_results_final(), pk=pk)
    return render(request, "compute/result.html", _result_context(result, province=True))


@requires("compute.manage")
def objections(request):
    return render(request, "compute/objections.html", {"objections": subsidy_objections()})


@requires("compute.manage")
def objection_resolve(request, pk):
    objection = get_object_or_404(subsidy_objections(), pk=pk)
    form = ResolveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                subsidy_objection_resolve(objection, user=request.user, outcome=form.cleaned_data["outcome"],
                                          answer=form.cleaned_data["answer"], request=request)
            except ComputeError as e:
                add_to_form(form, e)
            else:
                messages.success(request, _("答复已记录，单位可在本单位的算力补助页面看到。"))
                return redirect("compute:objections")
        status = 400
    return render(request, "compute/objection_resolve.html", {"objection": objection, "form": form},
                  status=status)


def objection_of(pk, **_url):
    return subsidy_objections().filter(pk=pk).first()


@requires("compute.objection", objection_of)
def objection_attachment(request, objection, **_url):
    """The attachment of an objection: the province, or the organisation that sent it."""
    if not objection.attachment:
        raise Http404
    handle = open_or_404(objection.attachment)  # its name in the default storage
    audit_record("subsidy.objection_download", request=request, obj=objection)
    return FileResponse(handle, content_type=objection.attachment_type, as_attachment=True,
                        filename=objection.attachment_name or PurePosixPath(objection.attachment).name)


# --- the organisation -----------------------------------------------------------------------


def _result_context(result, *, province: bool = False) -> dict:
    run = result.run
    breakdown = subsidy_result_breakdown(result)
    names = organisation_names({p["uscc"] for p in breakdown.get("providers", [])}
                               | {u["uscc"] for u in breakdown.get("users", [])})
    from decimal import Decimal

    months = []
    for m in breakdown.get("months", []):
        months.append({**m, "excluded_total": sum(Decimal(v) for v in m["excluded"].values())})
    providers = []
    for p in breakdown.get("providers", []):
        providers.append({**p, "name": names.get(p["uscc"], ""),
                          "excluded_total": sum(Decimal(v) for v in p["excluded"].values())})
    users = [{**u, "name": names.get(u["uscc"], "")} for u in breakdown.get("users", [])]
    now = clock.now()
    latest = subsidy_run_published(run.batch_id)
    open_period = (run.published_at is not None and latest is not None and latest.pk == run.pk
                   and now < run.objection_deadline)
    return {
        "result": result, "run": run, "province": province,
        "excluded": [(BUCKET_LABELS[b], getattr(result, f"excluded_{b}")) for b in BUCKETS],
        "yuan": subsidy_amount_yuan(result.subsidy_quantity, _pack(run)) if result.subsidy_quantity > 0 else None,
        "base_unit": compute_money(_pack(run)).base_unit,  # quantities are in the pack's unit (2026: 卡时)
        "months": months, "providers": providers, "users": users,
        "can_respond": open_period and not result.response,
        "period_over": run.published_at is not None and now >= run.objection_deadline,
        "objections": result.objections.select_related("resolved_by"),
    }


def _own_results(request) -> list:
    """The signed-in organisation's result in each batch's latest published run (the run published
    last first), read once per request: the page, its batch list and its default all use it."""
    if not hasattr(request, "_own_results"):
        request._own_results = subsidy_results_of_organisation(request.user.organisation)
    return request._own_results


def _own_result(request):
    """The signed-in organisation's published result in the batch `batch` names (GET or POST;
    without it the run published last), or None (guarded by compute.own_result)."""
    batch_id = request.POST.get("batch") or request.GET.get("batch") or ""
    results = _own_results(request)
    if batch_id:
        return next((r for r in results if r.run.batch_id == batch_id), None)
    return results[0] if results else None


def _own_context(request, result) -> dict:
    """The result's page: its breakdown and each batch with a published result, by title."""
    from duixian.policy.active import pack_of

    context = _result_context(result)
    context["may_respond"], context["why_not_respond"] = check(request.user, "compute.respond")
    context.update(_none_context(request))
    context["batch_title"] = pack_of(result.run.batch_id).title
    return context


def _none_context(request) -> dict:
    """No result in the asked batch: the batches that have one, by title, to go to instead."""
    from duixian.policy.active import pack_of

    return {"own_batches": [(r.run.batch_id, pack_of(r.run.batch_id).title) for r in _own_results(request)]}


def _not_the_result_seen(request, result) -> bool:
    """The press came from a page of an earlier run of the batch (the form's `run`): the province
    has published a new result since, which the organisation has not seen; say so."""
    seen = request.POST.get("run", "")
    if not seen or seen == str(result.run_id):
        return False
    messages.error(request, _("省科技厅已发布新的计算结果，请核对本页的结果后再确认或提出异议。"))
    return True


def _back_to(result):
    """The organisation's page of the result's batch."""
    return redirect(f"{reverse('compute:mine')}?{urlencode({'batch': result.run.batch_id})}")


@requires("compute.own_result")
def mine(request):
    """The organisation's published result with the breakdown, and confirm / object."""
    result = _own_result(request)
    if result is None:
        return render(request, "compute/mine_none.html", _none_context(request))
    context = _own_context(request, result)
    context["objection_form"] = ObjectionForm()
    context["reason_fixes"] = _reason_fixes(result)
    return render(request, "compute/mine.html", context)


def _reason_fixes(result):
    """Reasons the organisation can fix in its own profile, each with a link to the field."""
    from duixian.orgs.selectors import profile_fixes

    return profile_fixes(result.reasons)


@require_POST
@requires("compute.respond")
def mine_confirm(request):
    result = _own_result(request)
    if result is None:
        raise Http404
    if _not_the_result_seen(request, result):
        return _back_to(result)
    try:
        subsidy_result_confirm(result, user=request.user, request=request)
    except ComputeError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已确认本单位的算力补助结果。"))
    return _back_to(result)


@requires("compute.respond")
def mine_object(request):
    result = _own_result(request)
    if result is None:
        return render(request, "compute/mine_none.html", _none_context(request),
                      status=200 if request.method == "GET" else 400)
    if request.method == "POST" and _not_the_result_seen(request, result):
        return _back_to(result)
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            subsidy_objection_submit(result, user=request.user, reason=form.cleaned_data["reason"],
                                     attachment=form.cleaned_data.get("attachment"), request=request)
        except ComputeError as e:
            if e.field is None:  # the period is over, or already answered: the page says so
                messages.error(request, e.message)
                return _back_to(result)
            add_to_form(form, e)
        else:
            messages.success(request, _("异议已提交，省科技厅将答复；答复会显示在本页。"))
            return _back_to(result)
    context = _own_context(request, result)
    context["objection_form"] = form
    context["reason_fixes"] = _reason_fixes(result)
    return render(request, "compute/mine.html", context, status=400 if request.method == "POST" else 200)


@requires("compute.own_result")
def mine_statement(request):
    result = _own_result(request)
    if result is None:
        raise Http404
    return _statement(request, result)
