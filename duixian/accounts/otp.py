"""TOTP two-factor: enrolment, verification, and the fixed secret of demo staff accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_session_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.audit.services import audit_record
from duixian.core.errors import DomainError

# 20 bytes, hex. Only demo accounts use it; `duixian demo totp USERNAME` prints the current code.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"


class OtpError(DomainError):
    """A refused code, with the Chinese message the user sees."""


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (one per user), created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def config_url(device: TOTPDevice) -> str:
    return device.config_url


def secret_base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def current_code(device: TOTPDevice, *, fresh: bool = False) -> str:
    """The code the authenticator shows now. `fresh`: one the server has not yet used (a code
    is accepted once; the next step's code is within the server's tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if fresh and device.last_t >= totp.t():
        totp.time = totp.time + device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def _attempt(device_pk: int, token: str) -> tuple[TOTPDevice, str]:
    """Check a code under a row lock; "" when it matched, else "throttled" or "wrong".

    The throttle counter is committed whatever the outcome (no exception inside the atomic
    block), so guessing codes slows down as it should.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device_pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return device, "throttled"
        return device, "" if device.verify_token(token) else "wrong"


def _refuse(device: TOTPDevice, problem: str, *, user, request, action: str) -> None:
    audit_record(action, user=user, request=request, outcome="failure", detail={"reason": problem})
    if problem == "throttled":
        raise OtpError(_("验证码错误次数过多，请稍后再试（每次错误后需等待的时间会加倍）。"))
    raise OtpError(_("动态验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。"))


def otp_verify(request, token: str) -> TOTPDevice:
    """The second step of login: check the code against the user's devices; mark the session verified."""
    device = otp_check(request.user, token, request=request, action="login.otp")
    otp_session_login(request, device)
    audit_record("login.otp", user=request.user, request=request)
    return device


def otp_check(user, token: str, *, request, action: str) -> TOTPDevice:
    """The device of `user` that accepts `token`; a refusal is audited as `action` and raised.
    The session is left alone (binding a unified identity checks a code before signing in)."""
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))
    if not devices:
        raise OtpError(_("您尚未绑定身份验证器。"))
    problems = []
    for candidate in devices:
        device, problem = _attempt(candidate.pk, token)
        if not problem:
            return device
        problems.append(problem)
    _refuse(devices[0], "throttled" if all(p == "throttled" for p in problems) else "wrong",
            user=user, request=request, action=action)


def otp_enrol(request, token: str) -> TOTPDevice:
    """Confirm the device being set up with its first code; the session is then verified."""
    user = request.user
    if confirmed_device(user) is not None:
        raise OtpError(_("您已绑定身份验证器。如需更换，请联系系统管理员重置。"))
    device, problem = _attempt(enrolment_device(user).pk, token)
    if problem:
        _refuse(device, problem, user=user, request=request, action="otp.enrol")
    with transaction.atomic():  # the confirmed device and its audit row, or neither
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record("otp.enrol", user=user, request=request, obj=device)
    otp_session_login(request, device)
    return device


def otp_reset(user, *, by, request=None) -> int:
    """System administrator: remove a user's devices, so the next login enrols anew. Nothing
    usable is shown to the administrator (enrolling needs the account's own password), and the
    holder is told at the registered address."""
    from duixian.authz.roles import Role

    if getattr(by, "role", None) != Role.SYSTEM_ADMIN:
        raise OtpError(_("只有系统管理员可以重置双因素认证。"))
    with transaction.atomic():  # the reset and its audit row, or neither; the notice after the commit
        count, _others = TOTPDevice.objects.filter(user=user).delete()
        audit_record("otp.reset", user=by, request=request, obj=user, detail={"username": user.username})
        if user.email:
            def _tell():
                from django.core.mail import send_mail

                try:
                    send_mail(_("【政策兑现平台】您的双因素认证已被重置"),
                              _("系统管理员重置了您账号（用户名：%(username)s）的双因素认证。下次登录时请重新绑定身份验证器。"
                                "如非您本人申请，请立即告知平台安全管理员。") % {"username": user.username},
                              None, [user.email])
                except Exception:  # noqa: BLE001 - a courtesy notice; the reset stands
                    import logging

                    logging.getLogger(__name__).exception("otp reset notice failed")

            transaction.on_commit(_tell)
    return count


def demo_totp_device(user) -> TOTPDevice:
    """Give a demo account the fixed demo secret (idempotent)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="演示身份验证器",
        defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
    )
    return device


def otp_issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", "Duixian")
