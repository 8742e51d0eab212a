"""Forms of the province's pack-version page: upload a new version, confirm it after the diff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PACK_BYTES = 2 * 1024 * 1024


def normalise_newlines(text: str) -> str:
    """One line ending (LF), as `duixian pack load` reads a file: a browser sends hidden fields back
    with CRLF, and the digest the province confirmed must be the digest that is stored."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PackUploadForm(forms.Form):
    file = forms.FileField(
        label=_("政策包文件（YAML）"),
        help_text=_("修改后的政策包文件，须保持批次编号不变、使用新的版本号；上传后先显示与现行版本的差异，确认后才启用。"),
        error_messages={"required": _("请选择要上传的政策包文件。")},
    )
    note = forms.CharField(
        label=_("说明"), max_length=200,
        help_text=_("例如补充通知的标题和文号，会显示在版本列表和审计日志中。"),
        error_messages={"required": _("请填写说明（如补充通知的标题）。"), "max_length": _("说明最多 200 字。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".yaml", ".yml")):
            raise forms.ValidationError(_("请上传 .yaml 或 .yml 文件。"))
        if upload.size > MAX_PACK_BYTES:
            raise forms.ValidationError(_("文件过大（最大 2 MB）。"))
        raw = upload.read()
        try:
            self.text = normalise_newlines(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件不是 UTF-8 编码的文本，请用 UTF-8 保存后再上传。")) from None
        return upload


class PackConfirmForm(forms.Form):
    yaml_text = forms.CharField(widget=forms.HiddenInput, strip=False)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_yaml_text(self):
        return normalise_newlines(self.cleaned_data["yaml_text"])
