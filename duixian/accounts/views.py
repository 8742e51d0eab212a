"""Sign-in steps (password, one-time code, forced password change) and the account's security page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from duixian.accounts import otp, unlinking
from duixian.authz import requires
from duixian.accounts.forms import LoginForm, TokenForm
from duixian.accounts.models import IdentityLink
from duixian.accounts.oidc import ID_TOKEN_SESSION_KEY
from duixian.accounts.oidc_views import login_context
from duixian.accounts.policy import has_totp_device, otp_required
from duixian.accounts.selectors import identity_links
from duixian.audit.services import audit_record
from duixian.core.errors import add_to_form
from duixian.core.ratelimit import ratelimit


def _next_url(request, default: str = "/dashboard/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_lockout_context(), **login_context()}


# Per address, on top of django-axes' per-account lockout: stops one machine trying many accounts.
login_view = login_not_required(requires("anyone")(
    ratelimit(setting="LOGIN_RATE_PER_IP", methods=("POST",), scope="login")(LoginView.as_view())
))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time link mailed to the account's registered address (accounts.services): the
    holder, and only the holder, sets a password here. The link is void once used."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit_record("password.reset", user=user, request=self.request, obj=user)
        messages.success(self.request, _("密码已设置，请用新密码登录。"))
        _unlink_after_password_set(self.request, user, "password_reset")
        return response


# Anonymous and it writes (a password): per address like the login, so a link cannot be guessed at.
password_reset_confirm = login_not_required(requires("anyone")(
    ratelimit(setting="LOGIN_RATE_PER_IP", methods=("POST",), scope="password_set")(PasswordResetConfirmView.as_view())
))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        forced = user.must_change_password
        if forced:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit_record("password.change", user=user, request=self.request, obj=user, detail={"forced": forced})
        messages.success(self.request, _("密码已修改。"))
        _unlink_after_password_set(self.request, user, "password_change")
        return response


def _unlink_after_password_set(request, user, reason: str) -> None:
    removed = unlinking.unlink_after_password_set(user, reason=reason, request=request)
    if removed:
        messages.warning(request, unlinking.removed_message(removed))


@requires("signed_in")
def otp_verify(request):
    if not has_totp_device(request.user):
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.otp_verify(request, form.cleaned_data["token"])
        except otp.OtpError as error:
            add_to_form(form, error, field="token")
        else:
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, ""),
                                                        "via_provider": ID_TOKEN_SESSION_KEY in request.session,
                                                        **login_context()})


@requires("signed_in")
def otp_enrol(request):
    if has_totp_device(request.user):
        if request.user.is_verified():
            messages.info(request, _("您已绑定身份验证器。"))
            return redirect("accounts:security")
        return redirect("accounts:otp_verify")
    device = otp.enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            otp.otp_enrol(request, form.cleaned_data["token"])
        except otp.OtpError as error:
            add_to_form(form, error, field="token")
        else:
            messages.success(request, _("身份验证器绑定成功，今后登录时请输入动态验证码。"))
            return redirect(_next_url(request))
    uri = otp.config_url(device)
    try:
        import segno

        qr_svg = segno.make(uri, error="m").svg_inline(scale=4, title=_("扫描二维码绑定身份验证器"))
    except ImportError:  # the page still works: the secret can be typed in
        qr_svg = ""
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "secret": otp.secret_base32(device), "uri": uri, "qr_svg": qr_svg,
        "required": otp_required(request.user), "next": _next_url(request, ""),
    })


@requires("signed_in")
def security(request):
    """The signed-in user's own security settings: password and two-factor status."""
    return render(request, "accounts/security.html", {
        "has_device": has_totp_device(request.user),
        "required": otp_required(request.user) or request.user.role != "applicant",
        "identity_links": identity_links(request.user),
        "has_password": request.user.has_usable_password(),
        **login_context(),
    })


def link_of(pk, **_url) -> IdentityLink | None:
    return IdentityLink.objects.filter(pk=pk).first()


@requires("identity.unlink", link_of)
def identity_unlink(request, link, **_url):
    """Remove one of the signed-in user's own unified identity bindings, after confirming."""
    if request.method == "POST":
        try:
            unlinking.identity_unlink(link, by=request.user, request=request)
        except unlinking.UnlinkError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已解除与 %(who)s 的绑定，该身份不能再登录本账号。") % {"who": link.display})
        return redirect("accounts:security")
    return render(request, "accounts/identity_unlink.html", {"link": link, **login_context()})


def _lockout_context() -> dict:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def locked_out(request, original_response=None, credentials=None):
    """django-axes lockout response: the login page, saying in Chinese why and for how long."""
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {"form": form, "locked": True, "next": request.POST.get("next", ""), **_lockout_context(),
               **login_context()}
    return render(request, "accounts/login.html", context, status=429)
