"""Pages of the unified identity sign-in (统一身份认证): start, the provider's return, binding an
account, and logout that ends the provider's session too. Thin: `accounts.oidc` talks to the
provider, `accounts.identity` decides what the identity becomes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from duixian.authz import requires
from duixian.accounts import identity, oidc
from duixian.audit.services import audit_record
from duixian.core.errors import add_to_form
from duixian.core.ratelimit import ratelimit

_NEXT_SESSION_KEY = "_duixian_oidc_next"


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


def _refused(request, error: oidc.OidcError, status: int = 400):
    return render(request, "accounts/oidc_refused.html", {"message": error.message}, status=status)


# Anonymous and each writes (a session with the login's state; an audit event per refusal): limited
# per address like the sign-in form.
@login_not_required
@requires("anyone")
@ratelimit(setting="LOGIN_RATE_PER_IP", scope="oidc_start")
def start(request):
    """Off to the provider's sign-in page (a GET from the sign-in page's link)."""
    if not oidc.enabled():
        raise Http404(_("本平台未接入统一身份认证。"))
    request.session[_NEXT_SESSION_KEY] = _safe_next(request, request.GET.get("next", ""))
    try:
        return oidc.authorize_redirect(request, request.build_absolute_uri(reverse("accounts:oidc_callback")))
    except oidc.OidcError as error:
        identity.audit_refusal(request, None, error)
        return _refused(request, error, status=503)


@login_not_required
@requires("anyone")
@ratelimit(setting="LOGIN_RATE_PER_IP", scope="oidc_callback")
def callback(request):
    """The provider sends the browser back here with a code and the state."""
    if not oidc.enabled():
        raise Http404(_("本平台未接入统一身份认证。"))
    person = None
    try:
        person, id_token = oidc.identity_from_callback(request)
        outcome = identity.identity_arrived(request, person, id_token)
    except oidc.OidcError as error:
        if not isinstance(error, identity.IdentityError):  # those were audited where they were refused
            identity.audit_refusal(request, person, error)
        return _refused(request, error)
    if outcome == "register":
        return redirect("orgs:register")
    if outcome == "link":
        return redirect("accounts:oidc_link")
    return redirect(request.session.pop(_NEXT_SESSION_KEY, "") or settings.LOGIN_REDIRECT_URL)


class LinkForm(forms.Form):
    username = forms.CharField(label=_("本平台用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username"}),
                               error_messages={"required": _("请填写您在本平台的用户名。")})
    password = forms.CharField(label=_("本平台密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("请填写您在本平台的密码。")})
    token = forms.CharField(label=_("6 位动态验证码（工作人员及已绑定身份验证器的用户填写）"), required=False, max_length=6,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


@login_not_required
@requires("anyone")
@ratelimit(setting="LOGIN_RATE_PER_IP", methods=("POST",), scope="oidc_link")  # guesses passwords like the login
def link(request):
    """Bind the identity the provider verified to an existing account: its password (and code)."""
    waiting = identity.pending(request)
    if waiting is None:
        return _refused(request, oidc.OidcError(_("没有待绑定的统一身份认证登录，或已超过 15 分钟，请重新登录。"), "no_pending"))
    person, id_token = waiting
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity.identity_link(request, person, id_token, username=data["username"].strip(),
                                   password=data["password"], token=data["token"].strip())
        except identity.IdentityError as error:
            add_to_form(form, error)
        else:
            return redirect(request.session.pop(_NEXT_SESSION_KEY, "") or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/oidc_link.html", {"form": form, "person": person,
                                                        "provider": settings.OIDC_PROVIDER_NAME})


class LogoutView(auth_views.LogoutView):
    """Ends our session and, after a unified-identity sign-in, the provider's too (RP-initiated
    logout) where the provider offers an end-session endpoint."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(oidc.ID_TOKEN_SESSION_KEY)
        user = request.user if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        if not id_token or not oidc.enabled():
            return response
        url = oidc.logout_url(id_token, request.build_absolute_uri(settings.LOGOUT_REDIRECT_URL))
        audit_record("logout.oidc", user=user, request=request, detail={"provider_session_ended": url is not None})
        return redirect(url) if url else response


def login_context() -> dict:
    """What the sign-in page shows of the unified identity: nothing when it is not configured."""
    return {"oidc_enabled": oidc.enabled(), "oidc_provider": settings.OIDC_PROVIDER_NAME}
