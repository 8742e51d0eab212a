"""Forms of the organisation pages; every message is Chinese and sits beside its field."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duixian.accounts.models import User
from duixian.codes import divisions
from duixian.orgs.consent import CONSENT_VERSION
from duixian.orgs.models import PRIOR_SUPPORT_CHOICES, OrgKind, OrgRole
from duixian.core.phone import PhoneError, normalize_phone
from duixian.orgs.selectors import organisation_by_uscc
from duixian.orgs.services import duplicate_message
from duixian.codes.uscc import check_uscc

CITY_CHOICES = [("", _("（按统一社会信用代码自动确定）"))] + [(c.code, c.name) for c in divisions.CITIES]


def _phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except PhoneError as exc:
        raise ValidationError(str(exc)) from None


class AccountFields(forms.Form):
    """The person's own account: shared by registration and joining by invitation."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录时使用，可用字母、数字和 @ . + - _。"),
                               widget=forms.TextInput(attrs={"autocomplete": "username"}))
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号码"), max_length=40, widget=forms.TextInput(attrs={"type": "tel"}),
                            help_text=_("用于联系您；公示时只显示后四位。"))
    password1 = forms.CharField(label=_("密码"), strip=False,
                                help_text=_("至少 8 位，含大写字母、小写字母、数字、符号中的至少三类；不能包含用户名，不能是常见密码。"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    consent = forms.BooleanField(
        label=_("我已阅读并同意上方《个人信息处理告知书》"),
        error_messages={"required": _("请阅读个人信息处理告知书并勾选同意后再继续；不同意则无法注册。")},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        try:
            for validator in User._meta.get_field("username").validators:
                validator(username)
        except ValidationError:
            raise ValidationError(_("用户名只能包含字母、数字和 @ . + - _ 字符。")) from None
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该用户名已被使用，请换一个。"))
        return username

    def clean_phone(self):
        return _phone(self.cleaned_data["phone"])

    def clean_account(self, data):
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(p1, user=probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


YES_NO = [("true", _("是")), ("false", _("否"))]
LEGAL_PERSON_HELP = _("政策兑现申报和算力补助（免申即享）一般要求具有独立法人资格，以所申报条款的条件为准。尚未注册企业的参赛团队选“否”。")
AGI_HELP = _("算力补助（免申即享）的对象为通用人工智能企业、高校院所等；企业请如实选择。")
AFFILIATES_HELP = _("与本单位存在合资、独资等关联关系的企业的统一社会信用代码，每行一个；没有可不填。"
                    "使用本单位或关联企业建设的算力属于自建自用，不计入算力补助（免申即享）。")


def clean_affiliates(raw: str, *, own_uscc: str = "") -> list[str]:
    """Codes from a textarea (one per line, or separated by commas, spaces or 、): each checked."""
    import re

    codes, problems = [], []
    for token in re.split(r"[\s,，、;；]+", raw or ""):
        if not token:
            continue
        check = check_uscc(token)
        if not check.valid:
            problems.append(_("“%(code)s”不是有效的统一社会信用代码：%(error)s") % {"code": token, "error": check.error})
        elif own_uscc and check.uscc == own_uscc:
            problems.append(_("“%(code)s”是本单位自己的代码，不必填写。") % {"code": token})
        elif check.uscc not in codes:
            codes.append(check.uscc)
    if problems:
        raise ValidationError(problems)
    return sorted(codes)


class RegistrationForm(AccountFields):
    field_order = ["uscc", "name", "kind", "independent_legal_person", "agi_enterprise", "affiliates", "city_code",
                   "relocated_to_anhui", "address", "legal_representative",
                   "contact_phone", "username", "full_name", "phone", "password1", "password2", "consent"]

    independent_legal_person = forms.TypedChoiceField(
        label=_("是否具有独立法人资格"), choices=YES_NO, coerce=lambda v: v == "true", widget=forms.RadioSelect,
        help_text=LEGAL_PERSON_HELP, error_messages={"required": _("请选择本单位是否具有独立法人资格。")})
    agi_enterprise = forms.TypedChoiceField(
        label=_("是否属于通用人工智能企业（企业填写）"), choices=YES_NO, coerce=lambda v: v == "true",
        widget=forms.RadioSelect, required=False, empty_value=None, help_text=AGI_HELP)
    affiliates = forms.CharField(label=_("关联企业（如有）"), required=False, help_text=AFFILIATES_HELP,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False,
                           help_text=_("18 位，见营业执照或法人证书。尚未注册企业的参赛团队可不填（仅可申报受理参赛团队的条款）。"))
    name = forms.CharField(label=_("单位名称"), max_length=200, help_text=_("与营业执照或法人证书一致；参赛团队填写团队名称。"))
    kind = forms.ChoiceField(label=_("单位类型"), choices=OrgKind.choices)
    city_code = forms.ChoiceField(
        label=_("所在地市"), choices=CITY_CHOICES, required=False,
        help_text=_("代码第 3–8 位能确定地市的无需选择。省级（340000）或国家级（100000）登记机关赋码的单位、"
                    "无代码的参赛团队、已迁入安徽的省外单位，请选择所在地市，由该市科技局确认。"),
    )
    relocated_to_anhui = forms.BooleanField(
        label=_("本单位在安徽省外登记赋码，已将工商、税务登记和统计关系迁入安徽（仅可申报受理此类单位的条款）"),
        required=False,
    )
    address = forms.CharField(label=_("单位地址"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50,
                                           help_text=_("参赛团队填写团队负责人。"))
    contact_phone = forms.CharField(label=_("单位联系电话"), max_length=40,
                                    widget=forms.TextInput(attrs={"type": "tel"}),
                                    help_text=_("手机号码，或带区号的固定电话，如 0551-62999803。"))

    def __init__(self, *args, identity=None, **kwargs):
        """`identity`: a legal person verified by the unified identity service (accounts.oidc):
        its code and name are filled in and locked, the person's name and phone filled in, and
        no password is asked (the account signs in through the service)."""
        super().__init__(*args, **kwargs)
        if identity is None:
            return
        self.fields["uscc"].initial, self.fields["uscc"].disabled = identity.uscc, True
        self.fields["uscc"].help_text = _("由统一身份认证提供，不能修改。")
        if identity.org_name:
            self.fields["name"].initial, self.fields["name"].disabled = identity.org_name, True
            self.fields["name"].help_text = _("由统一身份认证提供，不能修改。")
        self.fields["full_name"].initial, self.fields["phone"].initial = identity.name, identity.phone
        del self.fields["password1"], self.fields["password2"]

    def clean_uscc(self):
        raw = self.cleaned_data["uscc"].strip()
        if not raw:
            return ""
        check = check_uscc(raw)
        if not check.valid:
            raise ValidationError(check.error)
        existing = organisation_by_uscc(check.uscc)
        if existing is not None:
            raise ValidationError(duplicate_message(existing))
        return check.uscc

    def clean_contact_phone(self):
        return _phone(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        self.clean_account(data)
        if "uscc" in data and not data["uscc"] and data.get("kind") and data["kind"] != OrgKind.TEAM:
            self.add_error("uscc", _("请填写统一社会信用代码（只有尚未注册企业的参赛团队可以不填）。"))
        if data.get("kind") == OrgKind.ENTERPRISE and data.get("agi_enterprise") is None:
            self.add_error("agi_enterprise", _("企业请选择是否属于通用人工智能企业。"))
        elif data.get("kind") and data["kind"] != OrgKind.ENTERPRISE:
            data["agi_enterprise"] = None  # asked of enterprises only (三（二）)
        if "affiliates" in data:
            try:
                data["affiliates"] = clean_affiliates(data["affiliates"], own_uscc=data.get("uscc") or "")
            except ValidationError as exc:
                self.add_error("affiliates", exc)
        return data


class JoinForm(AccountFields):
    def clean(self):
        return self.clean_account(super().clean())


class LetterForm(forms.Form):
    file = forms.FileField(
        label=_("授权书（加盖单位公章）"),
        help_text=_("PDF、JPG 或 PNG 文件。"),
        error_messages={"required": _("请选择授权书文件。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )


class CityForm(forms.Form):
    city_code = forms.ChoiceField(label=_("所在地市"), choices=[("", _("请选择"))] + CITY_CHOICES[1:],
                                  error_messages={"required": _("请选择所在地市。")})


class InvitationForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=[(OrgRole.EDITOR, OrgRole.EDITOR.label),
                                                       (OrgRole.VIEWER, OrgRole.VIEWER.label)],
                             help_text=_("填报人可以填写申报和单位信息；查看人只能查看。"))
    note = forms.CharField(label=_("被邀请人（备注）"), max_length=50, required=False,
                           help_text=_("例如姓名，便于您识别；不会发送给任何人。"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("未通过原因"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("申报单位将看到这段说明，请写明需要如何补正。"),
                             error_messages={"required": _("请填写未通过的原因，申报单位将看到这段说明。")})


class TransferForm(forms.Form):
    member = forms.ModelChoiceField(label=_("新的经办人"), queryset=User.objects.none(),
                                    error_messages={"required": _("请选择新的经办人。"),
                                                    "invalid_choice": _("请选择本单位的有效成员。")})

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = org.members.filter(is_active=True).order_by("full_name", "username")
        self.fields["member"].label_from_instance = lambda u: f"{u.full_name or u.username}（{u.username}）"


YES_NO_UNKNOWN = [("", _("未填写")), ("true", _("是")), ("false", _("否"))]


def _tri(label, help_text=""):
    return forms.TypedChoiceField(
        label=label, help_text=help_text, choices=YES_NO_UNKNOWN, required=False, widget=forms.RadioSelect,
        coerce=lambda v: v == "true", empty_value=None,
    )


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("单位类型"), choices=[c for c in OrgKind.choices if c[0] != OrgKind.TEAM],
                             help_text=_("影响算力补助（免申即享）和各条款对申报主体的认定。参赛团队的类型不能在此修改。"),
                             error_messages={"invalid_choice": _("请选择单位类型。")})
    independent_legal_person = _tri(_("具有独立法人资格"), LEGAL_PERSON_HELP)
    agi_enterprise = _tri(_("属于通用人工智能企业"), AGI_HELP)
    affiliates = forms.CharField(label=_("关联企业"), required=False, help_text=AFFILIATES_HELP,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    owns_ip = _tri(_("拥有明晰的自主知识产权"))
    credit_good = _tri(_("社会信用记录良好"))
    major_violation = _tri(_("有重大违法行为"), _("如实声明；“是”将导致要求无重大违法行为的条款不符合申报条件。"))
    prior_support = forms.MultipleChoiceField(
        label=_("已获得的支持"), choices=PRIOR_SUPPORT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("《若干政策 2.0 版》规定已获类似支持的不再重复支持，请如实勾选。"),
    )
    address = forms.CharField(label=_("单位地址"), max_length=200)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50)
    contact_phone = forms.CharField(label=_("单位联系电话"), max_length=40,
                                    widget=forms.TextInput(attrs={"type": "tel"}),
                                    help_text=_("手机号码，或带区号的固定电话，如 0551-62999803。"))

    def __init__(self, *args, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        if org is not None and org.kind == OrgKind.TEAM:
            del self.fields["kind"]  # a team registers again once it has a code

    def clean_contact_phone(self):
        return _phone(self.cleaned_data["contact_phone"])

    def clean_affiliates(self):
        return clean_affiliates(self.cleaned_data.get("affiliates", ""), own_uscc=getattr(self.org, "uscc", "") or "")

    @classmethod
    def initial_for(cls, org) -> dict:
        initial = {}
        for name in ("independent_legal_person", "agi_enterprise", "owns_ip", "credit_good", "major_violation"):
            value = getattr(org, name)
            initial[name] = "" if value is None else ("true" if value else "false")
        initial.update(prior_support=list(org.prior_support or []), address=org.address,
                       legal_representative=org.legal_representative, contact_phone=org.contact_phone,
                       kind=org.kind, affiliates="\n".join(org.affiliates or []))
        return initial
