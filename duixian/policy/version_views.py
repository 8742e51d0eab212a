"""The province's pack-version page (/policy/versions/): list, upload → diff → confirm, roll back,
download. Everyone else gets a 404. Views are thin: policy.services validates, stores and audits."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import requires
from duixian.audit.services import audit_record
from duixian.core.errors import add_to_form

from . import diff as pack_diff
from .active import batches
from .models import PackVersion
from .services import PackVersionError, _pack_of, pack_version_activate, pack_version_load, pack_version_preview
from .version_forms import PackConfirmForm, PackUploadForm


def _problems_to_form(form, error: PackVersionError) -> None:
    """Each problem beside the file field and in the error summary, with its place."""
    for message in [str(problem) for problem in error.problems] or [error.message]:
        add_to_form(form, error, field="file", message=message)


def _list(request, form=None, status=200):
    versions = list(PackVersion.objects.select_related("loaded_by").order_by("batch_id", "-loaded_at", "-pk"))
    for v in versions:
        v.summary = pack_diff.summary(v.changes or [])
    return render(request, "policy/versions.html", {
        "batches": batches(), "versions": versions, "form": form or PackUploadForm(),
        "recorded": any(v.is_active for v in versions),
    }, status=status)


@requires("policy.versions")
def versions(request):
    """GET: the list and the upload form. POST: validate an upload and show its diff to confirm."""
    if request.method != "POST":
        return _list(request)
    form = PackUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list(request, form, status=400)
    try:
        preview = pack_version_preview(form.text)
    except PackVersionError as e:
        _problems_to_form(form, e)
        return _list(request, form, status=400)
    confirm = PackConfirmForm(initial={
        "yaml_text": form.text, "digest": preview.pack.digest, "note": form.cleaned_data["note"],
    })
    return render(request, "policy/version_preview.html", {
        "preview": preview, "note": form.cleaned_data["note"], "confirm": confirm,
    })


@require_POST
@requires("policy.versions")
def confirm(request):
    form = PackConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("确认请求无效，请重新上传政策包文件。"))
        return redirect("policy:versions")
    data = form.cleaned_data
    try:
        row = pack_version_load(data["yaml_text"], user=request.user, note=data["note"], request=request,
                                expected_digest=data["digest"])
    except PackVersionError as e:
        # Shown like an upload's problems (someone else loaded first, or the text was altered).
        upload = PackUploadForm(initial={"note": data["note"]})
        upload.cleaned_data, upload._errors = {}, ErrorDict()
        _problems_to_form(upload, e)
        return _list(request, upload, status=409)
    messages.success(request, _("政策包版本 %(version)s 已加载并启用。") % {"version": row.version})
    return redirect("policy:versions")


@requires("policy.versions")
def activate(request, pk: int):
    """GET: what changes if this earlier version is put back in force. POST: do it."""
    target = get_object_or_404(PackVersion, pk=pk)
    if request.method == "POST":
        try:
            pack_version_activate(target.pk, request.user, request=request)
        except PackVersionError as e:
            messages.error(request, e.message + "".join(f" {p}" for p in e.problems))
            return redirect("policy:versions")
        messages.success(request, _("已启用政策包版本 %(version)s。") % {"version": target.version})
        return redirect("policy:versions")
    if target.is_active:
        messages.info(request, _("版本 %(version)s 已是现行版本。") % {"version": target.version})
        return redirect("policy:versions")
    active = PackVersion.objects.active().of_batch(target.batch_id).first()
    try:
        new_pack = _pack_of(target)
        changes = pack_diff.pack_diff(_pack_of(active) if active else None, new_pack)
    except PackVersionError as e:
        messages.error(request, e.message)
        return redirect("policy:versions")
    return render(request, "policy/version_activate.html", {
        "target": target, "active": active, "changes": changes, "summary": pack_diff.summary(changes),
    })


@requires("policy.versions")
def download(request, pk: int):
    row = get_object_or_404(PackVersion, pk=pk)
    audit_record("policy.pack_download", request=request, obj=row,
                 detail={"batch_id": row.batch_id, "version": row.version, "digest": row.digest})
    response = HttpResponse(row.yaml_text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    name = f"{row.batch_id}-{row.version}.yaml"
    response["Content-Disposition"] = f"attachment; filename=\"pack-{row.pk}.yaml\"; filename*=UTF-8''{quote(name)}"
    return response
