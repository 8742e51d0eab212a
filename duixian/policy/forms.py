"""The 政策自测 form: built from the facts the clause's rules still need, nothing else.

Every word of a question comes from the pack's `facts` section (label, help, the words of the
choices, the offered answers of an int, the words of "not done"); only the widgets are here."""

from __future__ import annotations


from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from duixian.codes.divisions import OUTSIDE_ANHUI, region_choices


def region_picker_choices() -> list:
    """请选择, then the 16 cities each with its counties (value: the 6-digit code), then 安徽省外."""
    return ([("", _("请选择"))] + [(city, list(options)) for city, options in region_choices()]
            + [(_("其他"), [(OUTSIDE_ANHUI, _("安徽省外的地市或县区"))])])


UNKNOWN = ""  # "不确定 / 暂不填写": the fact stays absent, its rules stay unknown
NONE = "__none__"  # "尚未 / 没有": the fact is null, its rules fail

BOOL_CHOICES = [(UNKNOWN, _("暂不确定")), ("true", _("是")), ("false", _("否"))]


def field_id(name: str) -> str:
    return name.replace(".", "__")


class SelfCheckForm(forms.Form):
    """One field per fact; an empty answer leaves the fact absent (unknown), never a guess."""

    def __init__(self, vocabulary, names: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.names = names
        for name in names:
            spec = vocabulary.given[name]
            key = field_id(name)
            label = gettext(spec.label)
            help_text = gettext(spec.help) if spec.help else ""
            may_be_none = spec.type == "date" and spec.null_label
            if spec.type == "bool":
                f = forms.ChoiceField(label=label, choices=BOOL_CHOICES, required=False, widget=forms.RadioSelect)
            elif spec.type == "enum":
                f = forms.ChoiceField(label=label, required=False,
                                      choices=[(UNKNOWN, _("暂不确定"))] + [(c, gettext(spec.choice_label(c))) for c in spec.choices])
            elif spec.type == "list":
                f = forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple,
                                              choices=[(c, gettext(spec.choice_label(c))) for c in spec.choices],
                                              help_text=_("没有请不选"))
            elif spec.type == "int" and not spec.options:  # a count: typed in
                f = forms.IntegerField(label=label, required=False, min_value=0)
            elif spec.type == "int":
                f = forms.ChoiceField(label=label, required=False,
                                      choices=[(UNKNOWN, _("暂不确定"))] + [(str(v), gettext(w)) for v, w in spec.options]
                                      + ([(NONE, gettext(spec.null_label))] if spec.null_label else []))
            elif spec.type == "date":
                f = forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
                if may_be_none:
                    self.fields[key + "__none"] = forms.BooleanField(label=gettext(spec.null_label), required=False)
            elif spec.type == "datetime":
                f = forms.DateTimeField(label=label, required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}))
            elif spec.widget == "region":  # a picker of the cities and counties
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
            if may_be_none:
                # keep the "not yet" box right after its date
                self.fields[key + "__none"] = self.fields.pop(key + "__none")

    def facts(self, tz) -> dict:
        """The answers as nested facts (CONTRACTS §2); unanswered questions are left out."""
        data = self.cleaned_data
        out: dict = {}
        for name in self.names:
            spec = self.vocabulary.given[name]
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


