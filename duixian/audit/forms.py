from django import forms
from django.utils.translation import gettext_lazy as _

from duixian.audit.selectors import AuditFilters

OUTCOMES = [("", _("全部")), ("success", _("成功")), ("failure", _("失败")), ("denied", _("拒绝"))]


class AuditSearchForm(forms.Form):
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    action = forms.CharField(label=_("操作（前缀，如 login、role.）"), required=False, max_length=60)
    object_type = forms.CharField(label=_("对象类型（如 accounts.user）"), required=False, max_length=60)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=OUTCOMES)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("请按“年-月-日”填写起始日期。")})
    date_to = forms.DateField(label=_("截止日期（含当天）"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("请按“年-月-日”填写截止日期。")})

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilters(**{name: (data.get(name) or ("" if name not in ("date_from", "date_to") else None))
                               for name in AuditFilters.__dataclass_fields__})
