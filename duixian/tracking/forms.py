from django import forms
from django.utils.translation import gettext_lazy as _

from duixian.tracking.lookup import normalise_uscc
from duixian.tracking.models import RatedStage
from duixian.tracking.services import COMMENT_MAX


class StatusLookupForm(forms.Form):
    reference = forms.CharField(
        label=_("受理编号（申报编号）"), max_length=32, strip=True,
        help_text=_("提交申报后页面显示的编号，如 DX2026-340100-000012。"),
        error_messages={"required": _("请填写受理编号。")})
    # The length is checked after normalisation: a code pasted with a zero-width space is 18 long.
    uscc = forms.CharField(
        label=_("申报单位统一社会信用代码"), max_length=40, strip=True,
        help_text=_("18位，与申报单位营业执照或法人登记证书一致。"),
        error_messages={"required": _("请填写统一社会信用代码。"), "max_length": _("统一社会信用代码为18位。")})

    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        if len(code) != 18:
            raise forms.ValidationError(_("统一社会信用代码为18位。"), code="length")
        return code


SCORES = [(5, _("5分 非常满意")), (4, _("4分 满意")), (3, _("3分 基本满意")), (2, _("2分 不满意")),
          (1, _("1分 非常不满意"))]


class RatingForm(forms.Form):
    stage = forms.ChoiceField(choices=RatedStage.choices, widget=forms.HiddenInput)
    score = forms.TypedChoiceField(label=_("评分"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择评分。")})
    comment = forms.CharField(label=_("评价意见（选填）"), required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("请勿填写个人信息。"))
