"""Forms built from the question catalogue; every error in Chinese beside its field."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from duixian.applications import policy_bridge, questions as q
from duixian.applications.materials import ALLOWED_LABEL
from duixian.core import memos
from duixian.policy.forms import region_picker_choices

ANSWER_NOT_DONE = "__not_done__"


def _to_bool(value):
    return {"true": True, "false": False}.get(value)


def _field_for(question: q.Question, answers: dict, clause_text: str) -> forms.Field:
    label = question.display_label
    help_text = question.help
    common = {"label": label, "help_text": help_text, "required": False}
    kind = question.kind
    if kind == "bool":
        field = forms.TypedChoiceField(choices=q.YES_NO, coerce=_to_bool, empty_value=None,
                                       widget=forms.RadioSelect, **common)
    elif kind == "choice":
        coerce = int if question.choices and isinstance(question.choices[0][0], int) else str
        field = forms.TypedChoiceField(choices=[("", _("请选择"))] + [(str(v), l) for v, l in question.choices],
                                       coerce=coerce, empty_value=None, **common)
    elif kind == "multi":
        field = forms.MultipleChoiceField(choices=question.choices, widget=forms.CheckboxSelectMultiple, **common)
    elif kind == "date":
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"],
                                error_messages={"invalid": _("请按“年-月-日”填写日期，如 2025-12-01。")}, **common)
    elif kind == "nullable_date":
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"],
                                error_messages={"invalid": _("请按“年-月-日”填写日期，如 2025-12-01。")}, **common)
        field.help_text = format_lazy("{}{}", format_lazy("{} ", help_text) if help_text else "", _("尚未完成的，请勾选下方“尚未完成”。"))
    elif kind == "decimal":
        field = forms.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                   error_messages={"invalid": _("请填写数字，如 24 或 24.50。"),
                                                   "min_value": _("金额不能为负数。"),
                                                   "max_decimal_places": _("最多保留两位小数。"),
                                                   "max_digits": _("数值过大，请核对。")},
                                   widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    elif kind == "integer":
        field = forms.IntegerField(min_value=0, error_messages={"invalid": _("请填写整数，如 1200。"),
                                                                "min_value": _("不能为负数。")},
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}), **common)
    elif kind == "phone":
        field = forms.CharField(max_length=40, widget=forms.TextInput(attrs={"type": "tel"}), **common)
    elif kind == "region":  # Anhui's cities and counties from the division table, grouped by city
        field = forms.ChoiceField(choices=region_picker_choices(), **common,
                                  error_messages={"invalid_choice": _("请从列表中选择签署投资协议的地市或县区。")})
    else:
        field = forms.CharField(max_length=200, **common)
    field.question = question
    field.citation = question.citation
    return field


# A section's fields (labels, choices, widgets, help and error texts) are the same for every
# application of a pack in a language: built once per section and language, copied per form.
_SECTION_FIELDS: memos.TextMemo = memos.text_memo(256)


def _section_fields(section: q.Section) -> dict[str, forms.Field]:
    """The fields of `section`'s form in the current language (never handed out: copy them).
    Keyed by the section itself (a changed pack makes new sections) and the language."""
    key = (id(section), translation.get_language())
    found = _SECTION_FIELDS.get(key)
    if found is None or found[0] is not section:
        fields = {}
        in_section = {x.name: x for x in section.questions}
        for question in section.questions:
            field = fields[question.field_name] = _field_for(question, {}, "")
            condition = question.show_if
            if isinstance(condition, q.Equals) and condition.name in in_section:
                field.show_when = (in_section[condition.name].field_name, condition.form_value)
            if question.kind == "nullable_date":
                fields[question.field_name + "__not_done"] = forms.BooleanField(label=_("尚未完成"), required=False)
        found = _SECTION_FIELDS.put(key, (section, fields))  # the section kept: its id is not reused
    return found[1]


class SectionForm(forms.Form):
    """Every question of one section; `visible_questions` are those asked given the answers.

    The page carries the hidden ones too (with the `hidden` attribute and, for a condition on
    another question of the same section, that condition as data), so that the browser shows a
    question the moment it applies. A bound form judges what is asked from the saved answers
    and the answers sent with it together, and saves and checks only those."""

    def __init__(self, *args, section: q.Section, answers: dict, application=None, **kwargs):
        self.section = section
        self.application = application
        self.answers = dict(answers)
        super().__init__(*args, **kwargs)
        self.visible_questions = section.visible_questions(self.answers)
        for name, field in _section_fields(section).items():
            self.fields[name] = copy.deepcopy(field)  # as Django copies a form's declared fields
        if not self.is_bound:
            for question in section.questions:
                self.initial[question.field_name] = _initial(question, self.answers)
                if question.kind == "nullable_date" and question.name in self.answers and self.answers[question.name] is None:
                    self.initial[question.field_name + "__not_done"] = True

    @property
    def visible_field_names(self) -> set[str]:
        names = {x.field_name for x in self.visible_questions}
        return names | {name + "__not_done" for name in names}

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # What is asked, given what was saved and what was sent now (a condition may hang on
        # an answer sent in this very form, and on one that depends on another in turn).
        answers = dict(self.answers)
        for _round in range(len(self.section.questions)):
            visible = self.section.visible_questions(answers)
            self.visible_questions = visible
            merged = dict(self.answers)
            for name, value in self.answered_values().items():
                if value is q.REMOVE:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            if [x.name for x in self.section.visible_questions(merged)] == [x.name for x in visible]:
                break
            answers = merged
        shown = self.visible_field_names
        for name in list(self._errors):
            if name != "__all__" and name not in shown:
                del self._errors[name]  # a question not asked has no errors to show

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone") or ""
        if not value.strip():
            return ""
        from duixian.core.phone import PhoneError, normalize_phone

        try:
            return normalize_phone(value)
        except PhoneError as exc:
            raise forms.ValidationError(str(exc)) from None


    def answered_values(self) -> dict:
        """Flat answers from the fields that validated (used by autosave even when others fail)."""
        values = {}
        data = getattr(self, "cleaned_data", {})
        for question in self.visible_questions:
            name = question.field_name
            if name in self.errors:
                continue
            if name not in data and question.kind != "nullable_date":
                continue
            value = data.get(name)
            if question.kind == "nullable_date":
                if data.get(name + "__not_done"):
                    values[question.name] = None
                    continue
                values[question.name] = value.isoformat() if value else q.REMOVE
                continue
            if question.kind == "date":
                value = value.isoformat() if value else None
            elif question.kind == "decimal" and question.name != "amount_requested_wan":
                value = str(value) if value is not None else None
            elif question.kind == "multi":
                value = list(value or [])
                # An untouched checkbox group sends nothing; an explicit "none" is an empty list.
            elif question.kind in ("text", "phone", "region") and question.name not in q.MODEL_FIELDS:
                value = value or None
            values[question.name] = value
        return values


def _initial(question: q.Question, answers: dict):
    value = answers.get(question.name)
    if value is None:
        return None
    if question.kind == "bool":
        return "true" if value else "false"
    if question.kind == "choice":
        return str(value)
    return value


class CreateApplicationForm(forms.Form):
    choice = forms.ChoiceField(label=_("依据政策条款"), widget=forms.RadioSelect,
                               error_messages={"required": _("请选择申报的政策条款。"),
                                               "invalid_choice": _("请选择本批次受理的政策条款。")})
    project_name = forms.CharField(label=_("项目名称"), max_length=200,
                                   help_text=_("与申报书、汇总表中的项目名称一致；同一单位、同一条款下项目名称不能重复。"),
                                   error_messages={"required": _("请填写项目名称。")})

    batch = forms.CharField(widget=forms.HiddenInput, required=False)  # the page's batch (creation_batch)

    def __init__(self, *args, pack, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.key, c.label) for c in policy_bridge.clause_choices(pack)]


class MaterialUploadForm(forms.Form):
    file = forms.FileField(
        label=_("选择文件"),
        help_text=format_lazy(_("接受 {allowed}，单个文件不超过 {limit_mb} MB。"), allowed=ALLOWED_LABEL, limit_mb=settings.MAX_UPLOAD_MB),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的，请重新选择。")},
    )


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("本单位承诺：所填报信息和上传材料真实、准确、完整，如有虚假，愿承担相应责任。"),
        error_messages={"required": _("请阅读并勾选信息真实性承诺。")},
    )
    token = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_state = forms.CharField(widget=forms.HiddenInput)
