"""Pages of the system administrator (accounts) and the security administrator (roles, policies)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from duixian.authz import requires
from duixian.accounts import otp, selectors, services, unlinking
from duixian.accounts.forms import RoleGrantForm, UserCreateForm
from duixian.accounts.models import IdentityLink, RoleGrant, User
from duixian.accounts.policy import policy_summary
from duixian.authz.roles import Role
from duixian.core.errors import add_to_form


@requires("accounts.manage")
def users_list(request):
    q, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    return render(request, "accounts/manage/users.html", {
        "users": selectors.users_search(q, role)[:500], "q": q, "role": role, "roles": Role.choices,
    })


@requires("accounts.manage")
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, sent_to = services.user_create(
                by=request.user, request=request, username=data["username"], email=data["email"],
                full_name=data["full_name"], phone=data["phone"],
            )
        except services.AccountError as error:
            add_to_form(form, error)
        else:
            return render(request, "accounts/manage/link_sent.html", {"target": user, "sent_to": sent_to, "created": True})
    return render(request, "accounts/manage/user_form.html", {"form": form})


@requires("accounts.manage")
def user_detail(request, pk: int):
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    return render(request, "accounts/manage/user_detail.html", {
        "target": target, "has_device": otp.confirmed_device(target) is not None,
        "grants": RoleGrant.objects.active().filter(user=target),
        "identity_links": selectors.identity_links(target), "oidc_provider": settings.OIDC_PROVIDER_NAME,
    })


@require_POST
@requires("accounts.manage")
def user_identity_unlink(request, pk: int, link_pk: int):
    """The system administrator removes one of an account's unified identity bindings."""
    link = get_object_or_404(IdentityLink.objects.select_related("user"), pk=link_pk, user_id=pk)
    try:
        unlinking.identity_unlink(link, by=request.user, request=request)
    except unlinking.UnlinkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已解除与 %(who)s 的绑定，该身份不能再登录此账号。") % {"who": link.display})
    return redirect("accounts:manage_user", pk=pk)


@require_POST
@requires("accounts.manage")
def user_action(request, pk: int, action: str):
    target = get_object_or_404(User, pk=pk)
    try:
        if action == "reset_password":
            sent_to = services.user_reset_password(target, by=request.user, request=request)
            return render(request, "accounts/manage/link_sent.html", {"target": target, "sent_to": sent_to})
        if action == "deactivate":
            services.user_set_active(target, False, by=request.user, request=request)
            messages.success(request, _("账号已停用。"))
        elif action == "activate":
            services.user_set_active(target, True, by=request.user, request=request)
            messages.success(request, _("账号已启用。"))
        elif action == "reset_otp":
            otp.otp_reset(target, by=request.user, request=request)
            messages.success(request, _("已重置双因素认证，该用户下次登录时需重新绑定身份验证器。"))
        else:
            raise Http404(_("未知操作。"))
    except (services.AccountError, otp.OtpError) as error:
        messages.error(request, str(error))
    return redirect("accounts:manage_user", pk=pk)


@requires("roles.manage")
def roles(request):
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = data.get("expires_at")
        if expires is not None:
            from duixian.core.clock import SHANGHAI

            expires = expires.astimezone(SHANGHAI)
        try:
            services.role_grant(form.target, data["role"], by=request.user, reason=data["reason"],
                                city_code=data["city_code"], expires_at=expires, request=request)
        except services.AccountError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("已授权，并记入审计日志。"))
            return redirect("accounts:manage_roles")
    return render(request, "accounts/manage/roles.html", {
        "form": form, "grants": selectors.grants_list()[:500], "policies": policy_summary(),
        "waiting": selectors.accounts_without_role()[:200],
    })


@require_POST
@requires("roles.manage")
def role_revoke(request, pk: int):
    grant = get_object_or_404(RoleGrant, pk=pk)
    try:
        services.role_revoke(grant, by=request.user, request=request)
        messages.success(request, _("授权已撤销。"))
    except services.AccountError as error:
        messages.error(request, str(error))
    return redirect("accounts:manage_roles")


@requires("lockouts.manage")
def lockouts(request):
    """Locked logins the viewer may lift: the 经办人 sees the own organisation's people, the
    security administrator everyone."""
    from duixian.accounts import lockouts as service

    return render(request, "accounts/lockouts.html", {
        "lockouts": service.lockouts_visible_to(request.user),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })


@require_POST
@requires("lockouts.manage")
def lockout_release(request):
    from duixian.accounts import lockouts as service

    username = request.POST.get("username", "").strip()[:150]
    if not service.may_release(request.user, username):
        raise Http404(_("您不能解除该账号的锁定。"))
    try:
        service.lockout_release(username, by=request.user, request=request)
    except service.UnlockError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已解除锁定：%(username)s 可以重新登录。") % {"username": username})
    return redirect("accounts:lockouts")
