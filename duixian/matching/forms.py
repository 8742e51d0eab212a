from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelsForm(forms.Form):
    in_app = forms.BooleanField(label=_("站内消息"), required=False)
    email = forms.BooleanField(label=_("电子邮件（发送至账号登记的邮箱）"), required=False)
    sms = forms.BooleanField(label=_("短信（发送至账号登记的手机号）"), required=False)
