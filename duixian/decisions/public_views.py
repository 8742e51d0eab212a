"""The public 公示 pages: the list, its xlsx, and the objection form. No login; personal data masked.

Everything shown here comes from PublicationItem, which was frozen with names and phones
already masked at publication: the public pages never read an unmasked contact.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from duixian.authz import requires
from duixian.audit.services import audit_record
from duixian.core import clock, ratelimit, spreadsheets
from duixian.core.errors import add_to_form
from duixian.decisions import selectors, services
from duixian.decisions.forms import ObjectionForm
from duixian.decisions.models import Publication
from duixian.decisions.services import DecisionError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("序号", "申报单位", "项目名称", "依据政策条款", "归口管理部门", "拟兑现金额（万元）", "项目联系人及联系方式")


def _context(publication: Publication) -> dict:
    now = clock.now()
    return {"publication": publication, "items": publication.items.all(), "now": now,
            "is_open": publication.is_open(now), "period": services.period_text(publication),
            "last_day_text": services.fmt_day(publication.last_day)}


@login_not_required
@requires("anyone")
def publication_list(request):
    return render(request, "public/publications.html", {"publications": Publication.objects.all(), "now": clock.now()})


@login_not_required
@requires("anyone")
def publication_page(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    return render(request, "public/publication.html", _context(publication))


COLUMN_WIDTHS = (6, 28, 38, 22, 14, 21, 20)  # one page wide on A4 landscape; each header on one line


def publication_xlsx_bytes(publication: Publication) -> bytes:
    """The 公示 list as printed: A4 landscape one page wide, the column header on every page."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from duixian.core.print_layout import print_setup, row_height

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "公示名单"
    for letter, width in zip("ABCDEFG", COLUMN_WIDTHS):
        ws.column_dimensions[letter].width = width
    total_width = sum(COLUMN_WIDTHS)
    spreadsheets.append(ws, [publication.title])
    ws["A1"].font = Font(name="黑体", bold=True, size=16)
    ws["A1"].alignment = wrap_center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = row_height([(publication.title, total_width)], font_size=16, minimum=36)
    period = f"公示期：{services.period_text(publication)}。异议受理：{publication.contact}"
    spreadsheets.append(ws, [period])
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws.row_dimensions[2].height = row_height([(period, total_width)])
    ws.append(list(COLUMNS))
    for cell in ws[3]:
        cell.font = Font(name="黑体", size=11)
        cell.alignment = wrap_center
        cell.border = box
    ws.row_dimensions[3].height = row_height(list(zip(COLUMNS, COLUMN_WIDTHS)), minimum=30)
    aligns = (wrap_center, wrap_left, wrap_left, wrap_center, wrap_center,
              Alignment(horizontal="right", vertical="center", indent=1), wrap_left)
    for item in publication.items.all():
        values = [item.number, item.organisation_name, item.project_name, item.clause_cell, item.city_name,
                  float(item.amount_wan), item.contact_masked]
        values = spreadsheets.row(values)
        ws.append(values)
        row = ws.max_row
        for cell, align in zip(ws[row], aligns):
            cell.alignment = align
            cell.border = box
        ws.cell(row=row, column=6).number_format = "0.00"
        ws.row_dimensions[row].height = row_height(
            [(v, w) for v, w in zip(values, COLUMN_WIDTHS) if isinstance(v, str)])
    print_setup(ws, title_rows="3:3")
    ws.freeze_panes = "A4"
    return spreadsheets.xlsx_bytes(wb)


@login_not_required
@requires("anyone")
@ratelimit.ratelimit(setting="RATE_LIMIT_PUBLIC_DOWNLOAD", scope="public.publication_xlsx")  # audited download
def publication_xlsx(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    content = publication_xlsx_bytes(publication)
    audit_record("decisions.publication_export", request=request, obj=publication, username="public",
                 detail={"format": "xlsx", "items": publication.items.count()})
    response = HttpResponse(content, content_type=XLSX)
    from urllib.parse import quote

    name = f"公示名单-{publication.pk}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"gongshi-{publication.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


@login_not_required
@requires("anyone")
@ratelimit.ratelimit(setting="RATE_LIMIT_OBJECTION", methods=("POST",), scope="public.objection")  # per address
def objection_new(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    form = ObjectionForm(request.POST or None, publication=publication)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = selectors.publication_item(publication, data.get("item") or "")
        # Stored objections from one address about one item (or the whole list): only those count.
        target = f"{publication.pk}:{item.pk if item else 'all'}"
        rates = ratelimit.rates_from_setting("RATE_LIMIT_OBJECTION_PER_ITEM")
        refused = ratelimit.refusal(request, "public.objection_item", rates, target=target, peek=True)
        if refused:
            return ratelimit.too_many(request, refused, reason=gettext(
                "同一网络地址就同一公示项目提出的异议有数量上限（%(limit)s），您所在的网络地址已达到上限。"
                "如需补充材料，请按公示页面的联系方式与省科技厅联系。") % {"limit": ratelimit.limit_text(refused.rate)})
        try:
            objection = services.objection_submit(
                publication=publication, item=item, name=data["name"], phone=data["phone"], body=data["body"],
                files=request.FILES.getlist("files"), request=request)
        except DecisionError as exc:
            # The form has no files field (the input is outside it): at the top, and beside the input.
            add_to_form(form, exc)
            if exc.field == "files":
                form.files_error = exc.message
        else:
            ratelimit.count(request, "public.objection_item", rates, target=target)
            request.session["objection_reference"] = objection.reference
            return redirect("public:objection_done", pk=publication.pk)
    context = _context(publication)
    context.update(form=form, files_error=getattr(form, "files_error", ""),
                   max_mb=services.OBJECTION_MAX_BYTES // (1024 * 1024), max_files=services.OBJECTION_MAX_FILES)
    return render(request, "public/objection_form.html", context)


@login_not_required
@requires("anyone")
def objection_done(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    reference = request.session.get("objection_reference")
    if not reference:
        raise Http404(gettext("没有刚提交的异议。"))
    context = _context(publication)
    context["reference"] = reference
    return render(request, "public/objection_done.html", context)


@login_not_required
@requires("anyone")
@ratelimit.ratelimit(setting="RATE_LIMIT_OBJECTION", scope="public.objection_lookup")  # per address, like the form
def objection_lookup(request):
    """The submitter looks an objection up by its 受理编号: the outcome and the reason, no personal data."""
    from duixian.decisions.forms import ObjectionLookupForm

    form = ObjectionLookupForm(request.GET or None)
    objection = None
    searched = form.is_bound and form.is_valid()
    if searched:
        objection = selectors.objection_by_reference(form.cleaned_data["reference"])
        audit_record("decisions.objection_lookup", request=request, username="public",
                     object_type="decisions.objection", object_id=objection.pk if objection else "",
                     outcome="success" if objection else "failure",
                     detail={"reference": form.cleaned_data["reference"][:24]})
    return render(request, "public/objection_lookup.html", {"form": form, "objection": objection, "searched": searched})
