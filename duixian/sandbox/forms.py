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


def _said(word: str) -> str:
    """A word of the pack in the page's language (gettext("") would be the catalogue's header)."""
    return gettext(word) if word else ""


class TrialForm(forms.Form):
    parameter = forms.ChoiceField(label=_("参数"), error_messages={"required": _("请选择要试算的参数。"),
                                                                   "invalid_choice": _("请选择列表中的参数。")})
    value = forms.DecimalField(label=_("试算值"), max_digits=14, decimal_places=6, min_value=Decimal(0),
                               error_messages={"required": _("请填写试算值。"), "invalid": _("请填写数字。"),
                                               "min_value": _("试算值不能为负数。")})
    reference_price = forms.DecimalField(
        required=False, max_digits=14, decimal_places=4, min_value=Decimal(0),
        error_messages={"invalid": _("请填写数字。"), "min_value": _("单价不能为负数。")})

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.parameters = trial_parameters(pack)
        # The compute unit is the pack's (2026: 卡时), in the page's language when the catalogue has it.
        from duixian.compute.selectors import compute_money

        money = compute_money(pack)
        words = {"unit": _said(money.base_unit), "per": _said(money.yuan_per_base_unit),
                 "price_unit": _said(money.price_unit or money.yuan_per_base_unit)}
        self.fields["value"].help_text = gettext("比例写小数，如 0.25；金额以万元计；算力单价以%(price_unit)s计。") % words
        self.fields["reference_price"].label = gettext("参考算力单价（%(per)s，仅按比例试算算力补助时填写）") % words
        self.fields["reference_price"].help_text = gettext(
            "平台只有算力补助量（%(unit)s）；按比例试算须假定每%(unit)s的算力费用。") % words
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
