"""The 政策自测 form: built from the facts the clause's rules still need, nothing else."""

from __future__ import annotations


from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from .facts import CHOICE_LABELS, FACTS

UNKNOWN = ""  # "不确定 / 暂不填写": the fact stays absent, its rules stay unknown
NONE = "__none__"  # "尚未 / 没有": the fact is null, its rules fail

BOOL_CHOICES = [(UNKNOWN, _("暂不确定")), ("true", _("是")), ("false", _("否"))]
# Integer facts are asked as choices: the words the notice uses, not free numbers.
INT_CHOICES = {
    "award.competition_year": [(UNKNOWN, _("暂不确定")), ("2025", _("2025年")), ("2024", _("2024年")), ("2023", _("2023年或更早"))],
    "award.rank": [(UNKNOWN, _("暂不确定")), ("1", _("一等奖")), ("2", _("二等奖")), ("3", _("三等奖")), ("4", _("其他奖项"))],
    "park.approved_year": [(UNKNOWN, _("暂不确定")), ("2025", _("2025年度")), ("2024", _("2024年度")),
                           ("2023", _("更早年度")), (NONE, _("尚未评审通过"))],
}
# Dates that may not have happened yet (a move not done is null, and its rule fails).
MAY_BE_NONE = {
    "conversion.investment_agreement_signed_on": _("尚未签署"),
    "conversion.registration_moved_on": _("尚未迁移"),
    "conversion.tax_moved_on": _("尚未迁移"),
    "conversion.statistics_moved_on": _("尚未迁移"),
    "conversion.converted_on": _("尚未转化"),
}
HELP = {
    "org.uscc": _("18位；中央登记单位（第3–8位为100000）请同时回答下一题"),
    "org.registered_in_anhui": _("平台按确认后的单位信息填写；中央登记单位由所在市确认"),
    "submitted_at": _("不填则按当前时间（北京时间）判断"),
    "conversion.agreement_region_code": _("按地市分组选择签署投资协议的地市（市本级）或县区；选项后为行政区划代码"),
    "scene.demonstration_effect": _("由评审专家判断；申报时请选“暂不确定”"),
    "park.scene_capacity": _("由评审专家判断"),
    "park.industry_advantage": _("由评审专家判断"),
    "park.scene_capability": _("由评审专家判断"),
    "operator.field_foundation": _("由评审专家判断"),
}


def field_id(name: str) -> str:
    return name.replace(".", "__")


class SelfCheckForm(forms.Form):
    """One field per fact; an empty answer leaves the fact absent (unknown), never a guess."""

    def __init__(self, names: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names
        for name in names:
            spec = FACTS[name]
            key = field_id(name)
            label = gettext(spec.label)  # marked with gettext_noop in facts.py
            help_text = HELP.get(name, "")
            if spec.type == "bool":
                f = forms.ChoiceField(label=label, choices=BOOL_CHOICES, required=False, widget=forms.RadioSelect)
            elif spec.type == "enum":
                labels = CHOICE_LABELS.get(name, {})
                f = forms.ChoiceField(label=label, required=False,
                                      choices=[(UNKNOWN, _("暂不确定"))] + [(c, gettext(labels.get(c, c))) for c in spec.choices])
            elif spec.type == "list":
                labels = CHOICE_LABELS.get(name, {})
                f = forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple,
                                              choices=[(c, gettext(labels.get(c, c))) for c in spec.choices],
                                              help_text=_("没有请不选"))
            elif spec.type == "int":
                f = forms.ChoiceField(label=label, required=False,
                                      choices=INT_CHOICES.get(name, [(UNKNOWN, _("暂不确定"))]))
            elif spec.type == "date":
                f = forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
                if name in MAY_BE_NONE:
                    self.fields[key + "__none"] = forms.BooleanField(label=MAY_BE_NONE[name], required=False)
            elif spec.type == "datetime":
                f = forms.DateTimeField(label=label, required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}))
            elif name == "conversion.agreement_region_code":  # a picker of Anhui's cities and counties
                from duixian.applications.forms import region_picker_choices

                f = forms.ChoiceField(label=label, required=False,
                                      choices=[(UNKNOWN, _("暂不确定"))] + region_picker_choices()[1:],
                                      error_messages={"invalid_choice": _("请从列表中选择签署投资协议的地市或县区。")})
            elif spec.type == "decimal":
                f = forms.DecimalField(label=label, required=False, min_value=0, decimal_places=4, max_digits=14,
                                       widget=forms.NumberInput(attrs={"step": "0.01"}))
            else:
                f = forms.CharField(label=label, required=False, max_length=40)
            f.help_text = help_text or f.help_text
            self.fields[key] = f
            if spec.type == "date" and name in MAY_BE_NONE:
                # keep the "not yet" box right after its date
                self.fields[key + "__none"] = self.fields.pop(key + "__none")

    def facts(self, tz) -> dict:
        """The answers as nested facts (CONTRACTS §2); unanswered questions are left out."""
        data = self.cleaned_data
        out: dict = {}
        for name in self.names:
            spec = FACTS[name]
            key = field_id(name)
            value = data.get(key)
            if data.get(key + "__none"):
                fact = None
            elif spec.type == "bool":
                if value in (None, UNKNOWN):
                    continue
                fact = value == "true"
            elif spec.type == "int":
                if value in (None, UNKNOWN):
                    continue
                fact = None if value == NONE else int(value)
            elif spec.type == "list":
                if not self.is_bound or "answered" not in self.data:
                    continue
                fact = list(value or [])
            elif value in (None, ""):
                continue
            elif spec.type == "date":
                fact = value.isoformat()
            elif spec.type == "datetime":
                if value.tzinfo is None:
                    value = value.replace(tzinfo=tz)
                fact = value.isoformat()
            elif spec.type == "decimal":
                fact = str(value)
            else:
                fact = str(value).strip()
            if "." in name:
                ns, attr = name.split(".", 1)
                out.setdefault(ns, {})[attr] = fact
            else:
                out[name] = fact
        return out


