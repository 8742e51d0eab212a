"""Downloads of the city's exports. The city's own clerk and the province may download; others get 404."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from duixian.exports import services
from duixian.exports.models import ExportVersion
from duixian.exports.summary import DOCX_TYPE, XLSX_TYPE
from duixian.policy.batch_choice import batch_context, batch_from_request
from duixian.review.permissions import can_export_city

TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE}


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _allowed(request, city_code: str) -> None:
    allowed, reason = can_export_city(request.user, city_code)
    if not allowed:
        raise Http404(reason)


def summary(request, city_code: str, fmt: str):
    _allowed(request, city_code)
    if fmt not in TYPES:
        raise Http404("不支持的格式。")
    content, filename, _version = services.download_summary(city_code, fmt, user=request.user, request=request,
                                                            pack=batch_from_request(request))
    return _file(content, TYPES[fmt], filename)


def letter(request, city_code: str):
    _allowed(request, city_code)
    try:
        issued = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else None
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD。") from None
    pack = batch_from_request(request)
    if issued is not None and (problem := services.letter_date_problem(issued, pack)):
        raise Http404(problem)
    content, filename, _version = services.download_letter(city_code, issued, user=request.user, request=request,
                                                           pack=pack)
    return _file(content, DOCX_TYPE, filename)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def versions(request, city_code: str):
    """Every archived 汇总表 and 推荐函 the city downloaded, newest first, each to fetch again."""
    _allowed(request, city_code)
    from duixian.review.selectors import city_bureau_name

    chosen = batch_context(request)
    return render(request, "exports/versions.html", {
        **chosen, "city_code": city_code, "bureau": city_bureau_name(city_code),
        "versions": version_rows(city_code, chosen["batch"].batch_id)})


def version_rows(city_code: str, batch_id: str) -> list:
    rows = list(services.versions_for_city(city_code, batch_id))
    for v in rows:
        v.changes_text = services.changes_text(v.changes)
    return rows


def version(request, city_code: str, pk: int):
    """One archived version, the same bytes as when it was downloaded; another city's is a 404."""
    _allowed(request, city_code)
    found = get_object_or_404(ExportVersion, pk=pk, city_code=city_code)
    content = services.version_download(found, user=request.user, request=request)
    return _file(content, found.content_type, services.versioned_name(found.filename, found.number))


def materials(request, city_code: str):
    _allowed(request, city_code)
    handle, _apps, _files = services.export_materials(city_code, user=request.user, request=request,
                                                      pack=batch_from_request(request))
    from duixian.review.selectors import city_bureau_name

    response = FileResponse(handle, as_attachment=True, filename=f"{city_bureau_name(city_code)}-兑现材料.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
