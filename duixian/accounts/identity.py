"""What a person verified by the unified identity service (统一身份认证) becomes on the platform.

- A bound identity (`IdentityLink`) signs in as its account; a legal-person (法人) login must
  name the organisation that account belongs to.
- A legal-person login for an organisation already on the platform whose verified phone is that of
  exactly one active member of a confirmed organisation signs in as that member, with the role in
  the organisation its 经办人 gave them, and is bound from then on. Otherwise the person confirms
  their account of that organisation with its password (binding).
- A legal-person login whose code is not on the platform starts the organisation's registration
  with the code and name locked (`orgs.views.register`); the new 经办人's account is bound.
- A personal login binds to an existing account only after that account's password and, where
  the account needs a second factor (staff; applicants who enrolled one), its one-time code.

Staff still pass the TOTP step after the provider, unless the provider asserted a second factor
(`acr`/`amr`, counted by settings): that is recorded as an `IdentityProviderFactor` device, so the
session is verified as after a code. Every sign-in, binding and refusal is audited.
"""

from __future__ import annotations

import time

from django.contrib.auth import authenticate, login
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_session_login

from duixian.accounts import otp
from duixian.accounts.models import IdentityLink, IdentityProviderFactor, User
from duixian.accounts.oidc import ID_TOKEN_SESSION_KEY, Identity, OidcError, enabled
from duixian.accounts.organisations import organisations
from duixian.accounts.policy import otp_required
from duixian.authz.roles import Role
from duixian.audit.services import audit_record
from duixian.core import clock

PENDING_SESSION_KEY = "_duixian_oidc_pending"
IDENTITY_SESSION_KEY = "_duixian_oidc_identity"  # [issuer, subject] the session signed in with
PENDING_SECONDS = 15 * 60  # from the provider's answer to the end of registration or binding
ACCOUNT_BACKEND = "duixian.accounts.backends.AccountBackend"


class IdentityError(OidcError):
    """A refused sign-in or binding after the provider's answer was verified."""


def audit_refusal(request, identity: Identity | None, error: OidcError) -> None:
    """The `login.oidc` failure event of a refused sign-in, with its reason and what was asserted."""
    audit_record("login.oidc", request=request, outcome="failure", username=(identity.subject if identity else "")[:150],
                 detail={"reason": error.reason, **(identity.audit_detail() if identity else {})})


def _refuse(request, identity: Identity, error: IdentityError) -> None:
    audit_refusal(request, identity, error)
    raise error


# --- after the provider ------------------------------------------------------------------

def identity_arrived(request, identity: Identity, id_token: str) -> str:
    """Decide what a verified identity does; returns where the browser goes next:
    "signed_in", "register" (the organisation's registration) or "link" (confirm an account)."""
    link = IdentityLink.objects.select_related("user").filter(issuer=identity.issuer, subject=identity.subject).first()
    if link is not None:
        _check_bound_account(request, identity, link.user)
        IdentityLink.objects.filter(pk=link.pk).update(last_used_at=clock.now())
        sign_in(request, link.user, identity, id_token, method="bound")
        return "signed_in"
    if identity.legal_person:
        org = _organisation_of(request, identity)
        if org is None:
            _keep_pending(request, identity, id_token)
            return "register"
        member = _member_by_phone(org, identity)
        if member is not None:
            _bind(request, member, identity, IdentityLink.Method.MEMBER_PHONE)
            sign_in(request, member, identity, id_token, method=IdentityLink.Method.MEMBER_PHONE)
            return "signed_in"
    _keep_pending(request, identity, id_token)
    return "link"


def _organisation_of(request, identity: Identity):
    from duixian.codes.uscc import check_uscc

    check = check_uscc(identity.uscc)
    if not check.valid:
        _refuse(request, identity, IdentityError(
            _("统一身份认证返回的统一社会信用代码无效（%(code)s），无法以法人身份登录。请联系统一身份认证服务核实单位信息。")
            % {"code": identity.uscc}, "invalid_uscc"))
    return organisations().by_uscc(check.uscc)


def _member_by_phone(org, identity: Identity) -> User | None:
    """The one active member of a confirmed organisation whose phone is the provider's verified one."""
    from duixian.core.phone import PhoneError, normalize_phone

    if not organisations().is_confirmed(org) or not identity.phone:
        return None
    try:
        phone = normalize_phone(identity.phone)
    except PhoneError:
        return None
    members = [user for user in User.objects.filter(organisation=org, role=Role.APPLICANT, is_active=True, phone=phone)
               if organisations().is_member(user)]
    return members[0] if len(members) == 1 else None


def _check_bound_account(request, identity: Identity, user: User) -> None:
    if not user.is_active:
        _refuse(request, identity, IdentityError(_("与您的统一身份认证绑定的本平台账号已停用，请联系系统管理员。"), "inactive"))
    if identity.legal_person and not _belongs_to(user, identity.uscc):
        _refuse(request, identity, IdentityError(
            _("您以法人身份登录的单位（统一社会信用代码 %(code)s）不是您本平台账号所属的单位，或您已不是该单位的有效成员。"
              "请以个人身份登录，或联系该单位的经办人。") % {"code": identity.uscc}, "other_organisation"))


def _belongs_to(user: User, uscc: str) -> bool:
    return (user.role == Role.APPLICANT and user.organisation is not None and user.organisation.uscc == uscc
            and organisations().is_member(user))


def sign_in(request, user: User, identity: Identity, id_token: str, *, method: str, device=None) -> None:
    """Start the platform session for `user`; staff still need a code unless the provider
    asserted a second factor, which is then recorded, or `device` checked a code just now."""
    login(request, user, backend=ACCOUNT_BACKEND)
    factor = identity.second_factor
    if device is not None:
        otp_session_login(request, device)
    elif factor and otp_required(user):
        device, _created = IdentityProviderFactor.objects.update_or_create(
            user=user, defaults={"name": f"{factor} · {identity.issuer}"[:64], "confirmed": True})
        otp_session_login(request, device)
    request.session[ID_TOKEN_SESSION_KEY] = id_token
    request.session[IDENTITY_SESSION_KEY] = [identity.issuer, identity.subject]
    request.session.pop(PENDING_SESSION_KEY, None)
    audit_record("login.oidc", user=user, request=request, detail={**identity.audit_detail(), "method": method})


class _AlreadyBound(Exception):
    """The identity was bound to another account meanwhile (the binding rolled back)."""


def _bind(request, user: User, identity: Identity, method: str) -> IdentityLink:
    try:
        with transaction.atomic():  # the binding and its audit row, or neither
            try:
                link = _create_link(user, identity, method)
            except IntegrityError:
                raise _AlreadyBound from None
            audit_record("oidc.link", user=user, request=request, obj=link,
                         detail={**identity.audit_detail(), "method": method})
    except _AlreadyBound:  # the refusal's own audit row, outside the rolled-back binding
        _refuse(request, identity, IdentityError(_("该统一身份认证身份已绑定其他账号。"), "already_bound"))
    return link


def _create_link(user: User, identity: Identity, method: str) -> IdentityLink:
    """The binding, with whose identity it is as asserted now (the phone masked) so the account's
    holder and administrator can tell it apart; made just before the sign-in it starts."""
    from duixian.core.phone import mask_phone

    return IdentityLink.objects.create(
        user=user, issuer=identity.issuer, subject=identity.subject, method=method, name=identity.name[:150],
        phone_masked=mask_phone(identity.phone) if identity.phone else "", uscc=identity.uscc[:18],
        org_name=identity.org_name[:200], last_used_at=clock.now())


def identity_bind_registered(user: User, identity: Identity, *, request=None) -> IdentityLink:
    """The 经办人 of an organisation registered through the provider (inside the registration's transaction)."""
    link = _create_link(user, identity, IdentityLink.Method.REGISTRATION)
    audit_record("oidc.link", user=user, request=request, obj=link,
                 detail={**identity.audit_detail(), "method": IdentityLink.Method.REGISTRATION})
    return link


# --- waiting for registration or binding ------------------------------------------------

def _keep_pending(request, identity: Identity, id_token: str) -> None:
    request.session[PENDING_SESSION_KEY] = {"identity": identity.as_session(), "id_token": id_token, "at": time.time()}


def pending(request) -> tuple[Identity, str] | None:
    """The verified identity waiting in this browser's session for registration or binding; none
    once the service is switched off (a registration would bind a 经办人 it can no longer sign in)."""
    if not enabled():
        return None
    data = request.session.get(PENDING_SESSION_KEY) if hasattr(request, "session") else None
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    return Identity.from_session(data["identity"]), data["id_token"]


def identity_link(request, identity: Identity, id_token: str, *, username: str, password: str, token: str = "") -> User:
    """Bind the waiting identity to the account whose password (and one-time code, where the
    account needs one) the person typed, then sign in. Wrong passwords count towards the
    account's lockout like the sign-in form's."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        audit_record("oidc.link", request=request, outcome="failure", username=username[:150],
                     detail={"reason": "password", **identity.audit_detail()})
        raise IdentityError(_("用户名或密码不正确，未绑定。连续多次输错，该账号将被锁定。"), "password")
    if identity.legal_person and not _belongs_to(user, identity.uscc):
        audit_record("oidc.link", user=user, request=request, outcome="failure",
                     detail={"reason": "other_organisation", **identity.audit_detail()})
        raise IdentityError(_("该账号不属于统一身份认证所示单位（统一社会信用代码 %(code)s），不能绑定。请使用本单位的账号，"
                              "或请本单位经办人邀请您加入。") % {"code": identity.uscc}, "other_organisation")
    device = None
    if otp_required(user):
        try:
            device = otp.otp_check(user, token, request=request, action="oidc.link")
        except otp.OtpError as error:
            raise IdentityError(error.message, "otp") from error
    _bind(request, user, identity, IdentityLink.Method.PASSWORD)
    sign_in(request, user, identity, id_token, method=IdentityLink.Method.PASSWORD, device=device)
    return user
