from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from duixian.applications.materials import ALLOWED_LABEL
from duixian.wallet.models import DocumentType


class WalletDocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("证照类型"), choices=DocumentType.choices)
    title = forms.CharField(label=_("名称"), max_length=100, help_text=_("如：营业执照（副本）、2026年度信用报告。"),
                            error_messages={"required": _("请填写名称。")})
    issuer = forms.CharField(label=_("发证（出具）机关"), max_length=100,
                             help_text=_("如：合肥市市场监督管理局、信用中国（安徽）。"),
                             error_messages={"required": _("请填写发证（出具）机关。")})
    issued_on = forms.DateField(label=_("发证日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("请按“年-月-日”填写日期。")})
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("长期有效的不填。过期的证照在提交申报前会被标出。"),
                                  error_messages={"invalid": _("请按“年-月-日”填写日期。")})
    replaces = forms.TypedChoiceField(label=_("作为新版本替换"), required=False, coerce=int, empty_value=None,
                                      help_text=_("选择后，原证照停用（已提交的申报仍保留所用版本）。"))
    file = forms.FileField(
        label=_("文件"),
        help_text=format_lazy(_("接受 {allowed}，单个文件不超过 {limit_mb} MB。"), allowed=ALLOWED_LABEL,
                              limit_mb=settings.MAX_UPLOAD_MB),
        error_messages={"required": _("请选择要上传的文件。"), "empty": _("文件是空的，请重新选择。")})

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].choices = [("", _("不替换，新增一份"))] + [(d.pk, str(d)) for d in documents]


class AttachForm(forms.Form):
    """The wallet document chosen for a material slot: its id, as the slot's choice posts it."""

    document = forms.IntegerField(min_value=1, max_value=2**63 - 1, error_messages={
        "required": _("请选择证照库中的证照。"), "invalid": _("请选择证照库中的证照。"),
        "min_value": _("请选择证照库中的证照。"), "max_value": _("请选择证照库中的证照。")})
