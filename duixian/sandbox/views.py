"""政策沙盘 pages (province only; anyone else gets a 404), per batch (`?batch=`, the default batch
without it). Reads only: nothing here changes the pack."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from duixian.authz import requires
from duixian.audit.services import audit_record
from duixian.policy.batch_choice import batch_context, batch_from_request

from .export import trial_xlsx
from .forms import TrialForm
from .trial import current_value, run_trial, trial_parameters


def _result(request, pack):
    form = TrialForm(request.GET if "parameter" in request.GET else None, pack=pack)
    if not form.is_bound or not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, run_trial(pack, data["parameter"], data["value"], reference_price=data.get("reference_price"))


@requires("sandbox.use")
def home(request):
    chosen = batch_context(request)
    pack = chosen["batch"]
    form, result = _result(request, pack)
    if result is not None:
        audit_record("sandbox.trial", request=request, object_type="policy.pack", object_id=pack.version,
                     detail={"parameter": result.parameter.name, "value": str(result.value),
                             "reference_price": None if result.reference_price is None else str(result.reference_price),
                             "before": str(result.total.before), "after": str(result.total.after)})
    parameters = []
    for p in trial_parameters(pack).values():
        value, confirmed = current_value(pack, p.name)
        parameters.append({"p": p, "value": value, "confirmed": confirmed, "source": pack.parameter(p.name).source})
    return render(request, "sandbox/home.html", {
        **chosen, "form": form, "result": result, "parameters": parameters, "pack": pack,
        "chart": result.chart_data() if result else None, "query": request.GET.urlencode(),
    })


@requires("sandbox.use")
def export_xlsx(request):
    pack = batch_from_request(request)
    with translation.override("zh-hans"):  # the workbook is written in Chinese (sandbox/export.py)
        form, result = _result(request, pack)
        content = None if result is None else trial_xlsx(result)
    if result is None:
        raise Http404(_("试算参数无效。"))
    audit_record("sandbox.export", request=request, object_type="policy.pack", object_id=pack.version,
                 detail={"format": "xlsx", "parameter": result.parameter.name, "value": str(result.value),
                         "rows": len(result.rows)})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"政策沙盘-{result.parameter.name}-{result.value.normalize():f}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"sandbox-{result.parameter.name}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
