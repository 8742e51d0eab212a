"""Downloads of the city's exports. The city's own clerk and the province may download
(exports.city, duixian/review/permissions.py); others get 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from duixian.applications.models import Application
from duixian.core.compiled import CompiledQuery, CompiledRows
from duixian.exports import services
from duixian.exports.models import ExportVersion
from duixian.exports.summary import DOCX_TYPE, TWO, XLSX_TYPE
from duixian.policy.batch_choice import batch_context, batch_from_request
from duixian.authz import requires

TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX_TYPE}


def _attachment(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def city_of(city_code: str, **_url) -> str:
    """The URL's city (its code, checked by the converter), the object of exports.city."""
    return city_code


@requires("exports.city", city_of)
def summary(request, city: str, fmt: str, **_url):
    if fmt not in TYPES:
        raise Http404("不支持的格式。")
    content, filename, _version = services.download_summary(city, fmt, user=request.user, request=request,
                                                            pack=batch_from_request(request))
    return _file(content, TYPES[fmt], filename)


@requires("exports.city", city_of)
def letter(request, city: str, **_url):
    try:
        issued = date.fromisoformat(request.GET["date"]) if request.GET.get("date") else None
    except ValueError:
        raise Http404("日期格式应为 YYYY-MM-DD。") from None
    pack = batch_from_request(request)
    if issued is not None and (problem := services.letter_date_problem(issued, pack)):
        raise Http404(problem)
    content, filename, _version = services.download_letter(city, issued, user=request.user, request=request,
                                                           pack=pack)
    return _file(content, DOCX_TYPE, filename)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = _attachment(filename)
    response["Cache-Control"] = "private, no-store"
    return response


@requires("exports.city", city_of)
def versions(request, city: str, **_url):
    """Every archived 汇总表 and 推荐函 the city downloaded, newest first, each to fetch again."""
    from duixian.review.selectors import city_bureau_name

    chosen = batch_context(request)
    return render(request, "exports/versions.html", {
        **chosen, "city_code": city, "bureau": city_bureau_name(city),
        "versions": version_rows(city, chosen["batch"].batch_id)})


@dataclass(frozen=True)
class SummaryPreview:
    """What the work list says of its batch's 汇总表: how many applications the city recommended
    and their amounts' total, as summary_data's rows and total_wan count them."""

    count: int
    total_wan: Decimal


def _recommended_amounts(city_code: str, batch_id: str = ""):
    from duixian.review.selectors import recommended_by_city

    return recommended_by_city(city_code, batch_id).values_list("amount_requested_wan")


# Compiled once per process (issue 22): the work list asks them on every page.
_RECOMMENDED_AMOUNTS = CompiledRows(Application, _recommended_amounts, ("\x00summary-city",))
_RECOMMENDED_AMOUNTS_IN_BATCH = CompiledRows(Application, _recommended_amounts,
                                             ("\x00summary-city", "\x00summary-batch"))
_VERSIONS = CompiledQuery(ExportVersion, services.versions_for_city, ("\x00versions-city", "\x00versions-batch"))


def summary_preview(city_code: str, pack) -> SummaryPreview:
    amounts = [amount for (amount,) in (_RECOMMENDED_AMOUNTS_IN_BATCH.all(city_code, pack.batch_id) if pack.batch_id
                                        else _RECOMMENDED_AMOUNTS.all(city_code))]
    total = sum((a.quantize(TWO) for a in amounts if a is not None), Decimal("0")).quantize(TWO)
    return SummaryPreview(len(amounts), total)


def worklist_context(city_code: str, pack) -> dict:
    """The city's work list page shows the 汇总表 preview (the contact line is the page's own) and
    the downloaded versions of its batch (registered with review.worklist_extras in
    ExportsConfig.ready())."""
    return {"summary": summary_preview(city_code, pack), "versions": version_rows(city_code, pack.batch_id)}


def version_rows(city_code: str, batch_id: str) -> list:
    rows = _VERSIONS.all(city_code, batch_id)
    for v in rows:
        v.changes_text = services.changes_text(v.changes)
    return rows


@requires("exports.city", city_of)
def version(request, city: str, pk: int, **_url):
    """One archived version, the same bytes as when it was downloaded; another city's is a 404."""
    found = get_object_or_404(ExportVersion, pk=pk, city_code=city)
    content = services.version_download(found, user=request.user, request=request)
    return _file(content, found.content_type, services.versioned_name(found.filename, found.number))


@requires("exports.city", city_of)
def materials(request, city: str, **_url):
    handle, _apps, _files = services.export_materials(city, user=request.user, request=request,
                                                      pack=batch_from_request(request))
    from duixian.review.selectors import city_bureau_name

    response = FileResponse(handle, as_attachment=True, filename=f"{city_bureau_name(city)}-兑现材料.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
