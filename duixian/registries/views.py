"""Registry pages. Thin: each declares the action that guards it (``@requires``,
duixian/registries/permissions.py; a refusal to see is a 404), calls services, renders."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian import authz
from duixian.authz import requires
from duixian.authz.roles import Role
from duixian.applications.selectors import application_of, applications_visible_to
from duixian.audit.services import audit_record
from duixian.core import spreadsheets
from duixian.core.errors import add_to_form
from duixian.policy.active import pack_of
from duixian.codes import divisions

from . import selectors, services
from .forms import ImportForm, NoteForm, RemindForm, WithdrawForm
from .kinds import GROUP_LABELS, KINDS
from .models import RegistryVersion
from .parsing import RegistryFileError, template_rows


@requires("registries.manage")
def home(request):
    groups = []
    overview = selectors.kinds_overview()
    for key, label in GROUP_LABELS.items():
        groups.append({"label": label, "kinds": [o for o in overview if o["spec"].group == key]})
    return render(request, "registries/home.html", {"groups": groups, "history": selectors.versions()[:50],
                                                     "threshold": selectors.threshold()})


@requires("registries.manage")
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "")})
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = services.registry_import(form.cleaned_data["kind"], upload.name, upload.read(), user=request.user,
                                               request=request, note=form.cleaned_data["note"])
        except RegistryFileError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("已导入%(kind)s第%(number)s版，共 %(rows)s 行；此后的系统预审按此版本核对。")
                             % {"kind": version.get_kind_display(), "number": version.number, "rows": version.rows})
            return redirect("registries:version", version.pk)
    return render(request, "registries/import.html", {"form": form, "problems": problems, "kinds": KINDS.values()})


@requires("registries.manage")
def template_download(request, kind: str, fmt: str):
    spec = KINDS.get(kind)
    if spec is None or fmt not in ("xlsx", "csv"):
        raise Http404(_("没有这种模板。"))
    headers, examples = template_rows(kind)
    if fmt == "csv":
        buffer = io.StringIO()
        spreadsheets.CsvWriter(buffer).writerow(headers)
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "登记册"
        spreadsheets.append(ws, headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, _h in enumerate(headers):
            ws.column_dimensions[chr(ord("A") + i)].width = 28
        help_ws = wb.create_sheet("说明")
        citation = selectors.kind_citation(kind)
        for values in ([f"{spec.label}（{citation}）" if citation else spec.label],
                       ["在“登记册”工作表第1行表头下逐行填写，数据从第2行开始；本工作表不会被导入。"],
                       [f"“年度”一栏填写{spec.year_label}，四位数字，如 2025。"],
                       [f"命中的效果：{spec.effect}。"], [], ["示例（请勿照抄）："], headers, *examples):
            spreadsheets.append(help_ws, values)
        content = spreadsheets.xlsx_bytes(wb)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_record("registry.template_download", request=request, object_type="registries.template", object_id=kind,
                 detail={"kind": kind, "format": fmt})
    response = HttpResponse(content, content_type=content_type)
    name = f"{spec.label}-导入模板.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=\"registry-{kind}.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return response


@requires("registries.manage")
def version_detail(request, pk: int):
    version = get_object_or_404(selectors.versions(), pk=pk)
    page = Paginator(version.entries.all(), 200).get_page(request.GET.get("page"))
    latest = selectors.latest_versions().get(version.kind)
    return render(request, "registries/version.html", {
        "version": version, "spec": KINDS[version.kind], "citation": selectors.kind_citation(version.kind), "page": page, "in_force": latest is not None and latest.pk == version.pk,
        "withdraw_form": WithdrawForm(),
    })


@require_POST
@requires("registries.manage")
def version_withdraw(request, pk: int):
    version = get_object_or_404(RegistryVersion, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写停用原因。"))
        return redirect("registries:version", pk)
    try:
        services.registry_version_withdraw(version, user=request.user, reason=form.cleaned_data["reason"], request=request)
    except services.RegistryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("该版本已停用；系统预审改用此前最近的有效版本（如有）。"))
    return redirect("registries:version", pk)


@requires("registries.manage")
def obligations(request):
    parks = selectors.obligated_parks()
    has_registry = "approved_park" in selectors.latest_versions()
    rows = []
    for p in parks:
        code = p.organisation.city_code if p.organisation else ""
        city = divisions.city_by_code(code) if code else None
        rows.append((p, city.name if city else ""))
    return render(request, "registries/obligations.html", {
        "rows": rows, "has_registry": has_registry, "total": len(parks),
        "obligation_sentences": selectors.obligation_sentences(),
        "missing": sum(1 for p in parks if not p.submitted),
    })


@require_POST
@requires("registries.manage")
def remind(request):
    form = RemindForm(request.POST)
    if not form.is_valid():
        raise Http404(_("提醒请求无效。"))
    try:
        services.evaluation_reminder_send(form.cleaned_data["uscc"], form.cleaned_data["park_name"],
                                          user=request.user, request=request)
    except services.RegistryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已向“%(park)s”的运营单位发送提醒。") % {"park": form.cleaned_data["park_name"]})
    return redirect("registries:obligations")


@requires("registries.findings")
def findings(request):
    qs = applications_visible_to(request.user)
    rows = selectors.applications_with_findings(qs)
    return render(request, "registries/findings.html", {
        "rows": rows, "has_registries": bool(selectors.latest_versions()),
        "flagged": sum(1 for _a, c in rows if c.flags),
    })


@requires("application.view", application_of)
def application_check(request, app, **_url):
    can_note = authz.check(request.user, "registries.note", app).allowed
    form = NoteForm(request.POST or None, initial={"fact": request.GET.get("fact", "")})
    if request.method == "POST":
        authz.authorize(request.user, "registries.note", app)
        if form.is_valid():
            try:
                services.registry_note_add(app, user=request.user, text=form.cleaned_data["text"],
                                           fact=form.cleaned_data["fact"], request=request)
            except services.RegistryError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("说明已保存，归口管理部门审核时可以看到。"))
                return redirect("registries:application", app.pk)
    check = selectors.application_check(app)
    pack = pack_of(app.batch_id)
    overrides = [dict(s, label=selectors.fact_label(pack, s["fact"]),
                      answer_words=selectors.value_words(pack, s["fact"], s["answer"]) if s["answered"] else _("未填写"),
                      value_words=selectors.value_words(pack, s["fact"], s["value"])) for s in check.overrides]
    return render(request, "registries/application.html", {
        "app": app, "check": check, "overrides": overrides, "form": form, "can_note": can_note,
        "is_staff_view": request.user.role in (Role.CITY_CLERK, Role.PROVINCE),
    })


@requires("registries.obligations")
def my_obligations(request):
    parks = selectors.obligated_parks(organisation=request.user.organisation)
    return render(request, "registries/my_obligations.html", {"parks": parks})
