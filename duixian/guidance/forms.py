from django import forms
from django.utils.translation import gettext_lazy as _

from duixian.guidance.services import BODY_MAX


class QuestionForm(forms.Form):
    q = forms.CharField(label=_("您的问题"), max_length=100, strip=True,
                        help_text=_("如：场景需要投入使用吗？算力补助怎么计算？"),
                        error_messages={"required": _("请输入问题。")})


class InterpretationForm(forms.Form):
    body = forms.CharField(label=_("解读正文"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("用通俗的话解释本条款；每段一行，空行分段。只写通知已有的内容，不作新的规定。"),
                           error_messages={"required": _("请填写解读正文。")})
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False,
                           help_text=_("如：根据补充通知更新材料要求。记入修改历史。"))
