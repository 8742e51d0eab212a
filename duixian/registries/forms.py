"""Forms for the registries; they say why in Chinese."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES

MAX_FILE_MB = 20


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("登记册类型"), choices=[("", _("请选择"))] + KIND_CHOICES,
                             error_messages={"required": _("请选择登记册类型。")})
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"),
                           help_text=_("请使用本页下载的模板：第1行为表头，数据从第2行开始。有任何一行错误时整个文件不导入。"),
                           error_messages={"required": _("请选择要导入的文件。"), "empty": _("文件是空的。")})
    note = forms.CharField(label=_("说明（可选）"), required=False, max_length=300,
                           help_text=_("如：依据某文件更新名单。"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = (f.name or "").lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        if f.size > MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 %(mb)s MB。") % {"mb": MAX_FILE_MB})
        return f


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=300, error_messages={"required": _("请填写停用原因。")})


class NoteForm(forms.Form):
    fact = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    text = forms.CharField(label=_("您的说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                           help_text=_("如登记册的信息与实际不符，请说明原因并在申报材料中附上证明，归口管理部门会核对。"),
                           error_messages={"required": _("请填写说明。"), "max_length": _("说明不能超过 2000 字。")})


class RemindForm(forms.Form):
    uscc = forms.CharField(widget=forms.HiddenInput, max_length=18)
    park_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
