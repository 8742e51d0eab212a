"""Forms of the city review pages; each says in Chinese why it refuses."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import get_language, gettext_lazy as _

from duixian.applications import policy_bridge
from duixian.core import memos
from duixian.review.models import CheckResult
from duixian.review.selectors import WORKLIST_STATES


class FilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        help_text=_("申报编号、单位名称或信用代码、项目名称、联系人，可输入多个词"))
    clause = forms.ChoiceField(label=_("依据政策条款"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, pack=None, counts: dict | None = None, **kwargs):
        """`pack`: the batch listed; its clauses are offered, named as its notice names them."""
        super().__init__(*args, **kwargs)
        seen, clauses = set(), [("", _("全部条款"))]
        for choice in policy_bridge.clause_choices(pack):
            if choice.clause not in seen:
                seen.add(choice.clause)
                clauses.append((choice.clause, f"{choice.name} {choice.short_title}"))
        # the notice's own words: on English pages select_option.html marks them lang="zh-Hans"
        self.fields["clause"].choices = clauses
        counts = counts or {}
        self.fields["state"].choices = [("", _("全部状态"))] + [
            (s.value, f"{s.label}（{counts.get(s.value, 0)}）") for s in WORKLIST_STATES]


_RESULT_CHOICES = (("", _("未审核")), *CheckResult.choices)  # lazy labels: the page's language

# The review page builds some twenty fields for its checklist and 退回补正 forms on every view
# (issue 22): an unbound form, which is only shown, takes shallow copies of fields built once per
# item and language (its own `initial`; the widget, choices and messages shared, never changed by
# showing them). A bound form builds its own, as before.
_FIELDS: memos.TextMemo = memos.text_memo(1024)


def _shown_fields(key: tuple, build) -> tuple:
    key = (*key, get_language())
    fields = _FIELDS.get(key)
    if fields is None:
        fields = _FIELDS.put(key, build(*key[1:-1]))
    return tuple(copy.copy(field) for field in fields)


def _checklist_fields(text: str) -> tuple[forms.Field, forms.Field]:
    return (forms.ChoiceField(label=text, required=False, choices=_RESULT_CHOICES, widget=forms.RadioSelect),
            forms.CharField(label=_("%(item)s：说明") % {"item": text}, required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 2})))


def _return_field(text: str) -> tuple[forms.Field]:
    return (forms.CharField(label=text, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})),)


class ChecklistForm(forms.Form):
    """One result (符合/不符合/需补正) and one note per checklist item of the clause."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if self.is_bound:  # fields of its own: validation and errors may change them
                result, note = _checklist_fields(row.text)
            else:  # only shown: copies of the fields worked out once per item and language
                result, note = _shown_fields(("checklist", row.text), _checklist_fields)
            result.initial, note.initial = row.result, row.note
            self.fields[f"result_{row.id}"], self.fields[f"note_{row.id}"] = result, note

    def results(self) -> dict[str, tuple[str, str]]:
        return {row.id: (self.cleaned_data.get(f"result_{row.id}", ""), self.cleaned_data.get(f"note_{row.id}", ""))
                for row in self.rows}

    def items(self):
        for row in self.rows:
            yield row, self[f"result_{row.id}"], self[f"note_{row.id}"]


class RecommendForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("推荐理由"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, override_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.override_required = override_required
        if override_required:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("推荐理由（不采纳系统预审结果的说明）")
            self.fields["reason"].help_text = _("系统预审结果为“不符合条件”。如仍推荐，请写明理由，该理由将随推荐记录报送省科技厅。")
            self.fields["reason"].error_messages["required"] = _("系统预审结果为“不符合条件”，推荐须写明不采纳预审结果的理由。")


class ReturnForm(forms.Form):
    """退回补正: a reason per checklist item that needs correcting, plus anything else."""

    expected_state = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, rows, drafts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        drafts = drafts or {}
        for row in rows:
            field, = _return_field(row.text) if self.is_bound else _shown_fields(("return", row.text), _return_field)
            field.initial = drafts.get(row.id, "")
            self.fields[f"item_{row.id}"] = field
        self.fields["item_other"] = forms.CharField(label=_("其他需补正的内容"), required=False, max_length=1000,
                                                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not any((data.get(name) or "").strip() for name in self.fields if name.startswith("item_")):
            raise forms.ValidationError(_("退回补正须至少对一个审核项目写明需要补正的内容。"))
        return data

    def item_reasons(self) -> dict[str, str]:
        out = {}
        for name, value in self.cleaned_data.items():
            if name.startswith("item_") and (value or "").strip():
                out[name.removeprefix("item_")] = value.strip()
        return out


class NotRecommendForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("不予推荐理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("不予推荐须写明理由，申报单位会看到该理由。")})


class ContactForm(forms.Form):
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                                    help_text=_("留空则使用通知附件1中本市的联系电话。"))
