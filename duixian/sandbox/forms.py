"""The sandbox's one question: which parameter, and what value to try."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from .trial import current_value, trial_parameters


def _choice_label(pack, p) -> str:
    value, confirmed = current_value(pack, p.name)
    if value is not None and confirmed:
        now = gettext("现行 %(value)s %(unit)s") % {"value": f"{value.normalize():f}", "unit": p.unit}
    else:
        now = gettext("未确认")
    return gettext("%(label)s（%(now)s）") % {"label": p.label, "now": now}


class TrialForm(forms.Form):
    parameter = forms.ChoiceField(label=_("参数"), error_messages={"required": _("请选择要试算的参数。"),
                                                                   "invalid_choice": _("请选择列表中的参数。")})
    value = forms.DecimalField(label=_("试算值"), max_digits=14, decimal_places=6, min_value=Decimal(0),
                               help_text=_("比例写小数，如 0.25；金额以万元计；算力单价以元/卡时计。"),
                               error_messages={"required": _("请填写试算值。"), "invalid": _("请填写数字。"),
                                               "min_value": _("试算值不能为负数。")})
    reference_price = forms.DecimalField(
        label=_("参考算力单价（元/卡时，仅按比例试算算力补助时填写）"), required=False, max_digits=14, decimal_places=4,
        min_value=Decimal(0), help_text=_("平台只有算力补助量（卡时）；按比例试算须假定每卡时的算力费用。"),
        error_messages={"invalid": _("请填写数字。"), "min_value": _("单价不能为负数。")})

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameters = trial_parameters(pack)
        self.fields["parameter"].choices = [("", _("请选择"))] + [(p.name, _choice_label(pack, p))
                                                                  for p in self.parameters.values()]

    def clean(self):
        data = super().clean()
        param = self.parameters.get(data.get("parameter") or "")
        value = data.get("value")
        if param and value is not None and param.ratio and value > 1:
            self.add_error("value", _("比例应在 0 到 1 之间，如 0.25 表示 25%。"))
        if param and param.role == "compute_ratio" and data.get("reference_price") is None:
            self.add_error("reference_price", _("按比例试算算力补助时，请填写参考算力单价。"))
        return data
