from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from duixian.accounts.policy import requires_unified_identity
from duixian.audit.services import audit_record
from duixian.core.text import no_control_characters


class LoginForm(AuthenticationForm):
    """Every sign-in attempt reaches authentication, so it is audited (and counted by the lockout)
    whatever was typed: a username with control characters fails as an unknown account instead of
    being refused unrecorded by the form-wide control-character rule (core.text). The audit page and
    its exports escape such text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators = [v for v in field.validators if v is not no_control_characters]

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if requires_unified_identity(user):
            audit_record("login", user=user, request=self.request, outcome="failure",
                         detail={"reason": "unified_identity_required"})
            raise forms.ValidationError(
                _("您的角色须通过%(provider)s登录，不能使用本平台密码登录。请点击上方“通过%(provider)s登录”。")
                % {"provider": settings.OIDC_PROVIDER_NAME}, code="unified_identity_required")



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


def _city_choices():
    from duixian.codes.divisions import CITIES

    return [("", "—")] + [(c.code, c.name) for c in CITIES]


class UserCreateForm(forms.Form):
    """A new account has no role: the security administrator grants one (三员分立)."""

    username = forms.RegexField(
        label=_("用户名"), max_length=150, regex=r"^[A-Za-z0-9_.@+-]{3,150}$",
        help_text=_("3 个以上字母、数字或 _ . @ + -，登录时使用。"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ + -，至少 3 个字符。"), "required": _("请填写用户名。")},
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名。")})
    email = forms.EmailField(
        label=_("本人工作邮箱"), max_length=254,
        help_text=_("设置密码的一次性链接只发往这个邮箱；创建后不能由管理员修改。"),
        error_messages={"required": _("请填写本人的工作邮箱。"), "invalid": _("请填写有效的邮箱地址。")},
    )
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=_("被授权人用户名"), max_length=150, error_messages={"required": _("请填写被授权人的用户名。")})
    role = forms.ChoiceField(label=_("业务角色"), choices=())
    city_code = forms.ChoiceField(label=_("所在市（授予归口管理部门角色时必填）"), required=False, choices=())
    reason = forms.CharField(label=_("授权理由"), max_length=200, error_messages={"required": _("请填写授权理由。")},
                             help_text=_("例如：配合纪检调查，需查阅合肥市申报材料。理由会记入审计日志。"))
    expires_at = forms.DateTimeField(
        label=_("到期时间（可选）"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": _("请按“年-月-日 时:分”填写到期时间。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from duixian.accounts.models import GRANTABLE_ROLES

        self.fields["role"].choices = [(r.value, r.label) for r in GRANTABLE_ROLES]
        self.fields["city_code"].choices = _city_choices()

    def clean_username(self):
        from duixian.accounts.models import User

        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名的账号。"))
        self.target = user
        return username
