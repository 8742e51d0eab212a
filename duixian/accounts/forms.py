from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6 位动态验证码"),
        min_length=6, max_length=6,
        help_text=_("打开手机上的身份验证器应用（如 Google Authenticator、Microsoft Authenticator、FreeOTP），输入本平台对应的 6 位数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}),
        error_messages={
            "required": _("请输入 6 位动态验证码。"),
            "min_length": _("动态验证码是 6 位数字。"),
            "max_length": _("动态验证码是 6 位数字。"),
        },
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("动态验证码只包含数字。"))
        return token


class ForcedPasswordChangeForm(PasswordChangeForm):
    """Django's form; the help text states our policy in full."""
