"""The audit administrator's pages: search the trail, export it, check the chain."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from duixian.authz import requires
from duixian.audit import exports
from duixian.audit.forms import AuditSearchForm
from duixian.audit.selectors import audit_search
from duixian.audit.services import audit_record, audit_verify
from duixian.core import clock


@requires("audit.read")
def search(request):
    form = AuditSearchForm(request.GET or None)
    filters = form.filters()
    events = audit_search(filters)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    if filters.as_dict():
        audit_record("audit.search", request=request, detail={"filters": filters.as_dict()})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {"form": form, "page": page, "query": query.urlencode()})


@requires("audit.read")
def export(request):
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404("不支持的导出格式。")
    form = AuditSearchForm(request.GET or None)
    filters = form.filters()
    events = audit_search(filters)
    count = events.count()
    # Recorded before the file is built, so the export shows in the trail it exports.
    audit_record("audit.export", request=request, detail={"format": fmt, "rows": count, "filters": filters.as_dict()})
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        response = HttpResponse(exports.as_xlsx(events), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(exports.as_csv(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response


@requires("audit.read")
def verify(request):
    problems = audit_verify() if request.method == "POST" else None
    if problems is not None:
        audit_record("audit.verify", request=request, outcome="success" if not problems else "failure",
                     detail={"problems": len(problems)})
    return render(request, "audit/verify.html", {"problems": problems})
