"""Sessions and sign-in: the sliding idle timeout; after the password, the second factor, then a
forced password change, before any other page.

Runs after AuthenticationMiddleware and django_otp's OTPMiddleware. A session made without
the one-time code (including `Client.force_login` in tests) is unverified, so staff are sent to
the code page; tests use `tests.conftest.otp_login` to sign staff in fully.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.accounts.policy import has_totp_device, otp_required
from duixian.core.compiled import CompiledQuery

# Pages an authenticated but not yet fully signed-in user may still open.
_ALWAYS_ALLOWED = {"accounts:logout", "accounts:otp_verify", "accounts:otp_enrol", "set_language"}
_SKIP_PREFIXES = ("/api/", "/static/")


def _with_next(url: str, request) -> str:
    if request.method == "GET":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


# Every request of a signed-in staff member reads the TOTP device the session was verified with:
# compiled once per process (duixian.core.compiled) instead of built through the ORM each time.
_TOTP_BY_ID = CompiledQuery(TOTPDevice, lambda pk: TOTPDevice.objects.filter(pk=pk), (-7_310_571,))
_TOTP_LABEL = TOTPDevice.model_label()


class DeviceMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware, reading a TOTP device (the only kind staff enrol) through
    `_TOTP_BY_ID`; any other persistent id, or one that is not a plain key, is django-otp's to read.
    What it does with the device (the user it belongs to, confirmed) is django-otp's, unchanged."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _slash, key = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label == _TOTP_LABEL and key.isascii() and key.isdigit() and int(key) < 2**63:
            return _TOTP_BY_ID.first(int(key))
        return super()._device_from_persistent_id(persistent_id)


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(_SKIP_PREFIXES):
            return None
        match = getattr(request, "resolver_match", None)
        name = match.view_name if match else ""
        if name in _ALWAYS_ALLOWED:
            return None
        public = getattr(view_func, "login_required", True) is False
        if public and name != "accounts:login":
            return None  # public pages stay public, whoever asks (and need not read the session and user)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if otp_required(user) and not user.is_verified():
            target = "accounts:otp_verify" if has_totp_device(user) else "accounts:otp_enrol"
            return redirect(_with_next(reverse(target), request))
        if user.must_change_password and name != "accounts:password_change" and not public:
            return redirect(reverse("accounts:password_change"))
        return None


_REFRESHED = "_duixian_refreshed_at"


class SlidingSessionMiddleware:
    """Move a signed-in session's expiry (SESSION_COOKIE_AGE) forward on activity, at most once
    every SESSION_REFRESH_SECONDS: saving the session on every request would cost a database
    write per page, which in the last-hour surge is a large share of the work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response  # no session, or this request never looked at it (static files)
        if SESSION_KEY in session and not session.modified:
            now = int(time.time())  # real clock: idle timeout measures real inactivity
            if now - session.get(_REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[_REFRESHED] = now  # marks it modified: SessionMiddleware saves it
        return response
