"""Downloads of the city's exports. The city's own clerk and the province may download; others get 404."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

from duixian.core import clock
from duixian.exports import services
from duixian.exports.summary import DOCX_TYPE, XLSX_TYPE, summary_filename
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
    content, data = services.export_summary(city_code, fmt, user=request.user, request=request)
    response = HttpResponse(content, content_type=TYPES[fmt])
    response["Content-Disposition"] = _attachment(summary_filename(data, fmt))
    response["Cache-Control"] = "private, no-store"
    return response


def letter(request, city_code: str):
    _allowed(request, city_code)
    try:
        issued = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else clock.local_now().date()
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD。") from None
    content, data = services.export_letter(city_code, issued, user=request.user, request=request)
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = _attachment(f"{data.bureau}-推荐函.docx")
    response["Cache-Control"] = "private, no-store"
    return response


def materials(request, city_code: str):
    _allowed(request, city_code)
    handle, _apps, _files = services.export_materials(city_code, user=request.user, request=request)
    from duixian.review.selectors import city_bureau_name

    response = FileResponse(handle, as_attachment=True, filename=f"{city_bureau_name(city_code)}-兑现材料.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
