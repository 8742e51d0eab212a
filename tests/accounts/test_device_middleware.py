"""The second factor a staff session was verified with is read on every staff request
(duixian.accounts.middleware.DeviceMiddleware, django-otp's OTPMiddleware with the TOTP device
read through a compiled query). What counts as verified is django-otp's: the session's own
confirmed device only; anything else in the session, however mangled, is not verified and is
dropped, and the page sends the clerk to the one-time code page, never a server error."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.accounts.otp import demo_totp_device

pytestmark = pytest.mark.django_db


def _with_device_id(client, user, persistent_id):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    return client.get(reverse("core:dashboard"))


def test_the_sessions_own_confirmed_device_verifies(client, users, real_otp):
    clerk = users["hefei_clerk"]
    device = demo_totp_device(clerk)
    assert _with_device_id(client, clerk, device.persistent_id).status_code == 200


@pytest.mark.parametrize("mangle", ["other user's", "unconfirmed", "deleted", "not a number", "too big", "no slash", "another device kind"])
def test_any_other_device_id_is_not_verified_and_is_dropped(client, users, real_otp, mangle):
    clerk, other = users["hefei_clerk"], users["wuhu_clerk"]
    own = demo_totp_device(clerk)
    label = TOTPDevice.model_label()
    persistent_id = {
        "other user's": demo_totp_device(other).persistent_id,
        "unconfirmed": own.persistent_id,
        "deleted": f"{label}/{own.pk + 1000}",
        "not a number": f"{label}/abc",
        "too big": f"{label}/{2**70}",
        "no slash": label,
        "another device kind": f"otp_static.staticdevice/{own.pk}",
    }[mangle]
    if mangle == "unconfirmed":
        TOTPDevice.objects.filter(pk=own.pk).update(confirmed=False)
    page = _with_device_id(client, clerk, persistent_id)
    assert page.status_code == 302 and page["Location"].startswith("/accounts/otp/")
    assert DEVICE_ID_SESSION_KEY not in client.session
