"""Forms of the compute pages; they say why in Chinese (the services judge the content)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ObjectionOutcome


class MeteringUploadForm(forms.Form):
    file = forms.FileField(
        label=_("计量文件"),
        help_text=_("CSV（带表头，UTF-8）或 Parquet，列见《算力补助计算说明》；整个文件全部接受或全部退回，"
                    "同一文件重复导入不改变数据。"),
        error_messages={"required": _("请选择要导入的计量文件。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.parquet,text/csv"}),
    )


class PublishForm(forms.Form):
    objection_last_day = forms.DateField(
        label=_("异议期最后一天"),
        help_text=_("各单位在这一天 24:00 之前可以确认结果或提出异议。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写异议期的最后一天。"), "invalid": _("请按 年-月-日 填写日期。")},
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("异议理由"), max_length=5000,
        help_text=_("请写明哪些计量记录或哪一项有误，以及您认为应如何计算。"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请写明异议的理由（例如哪些计量记录有误、应如何计算）。")},
    )
    attachment = forms.FileField(
        label=_("证明材料（可选）"), required=False,
        help_text=_("PDF、JPG 或 PNG，按文件内容判断类型。"),
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结论"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理结论。")},
    )
    answer = forms.CharField(
        label=_("给单位的答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写给单位的答复。")},
    )
