"""Second-factor and administrator changes and their audit rows commit together: when the audit row
cannot be written, the enrolment, the reset or the installation grant is not kept."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.accounts.models import RoleGrant, User
from duixian.accounts.otp import demo_totp_device, otp_reset
from duixian.accounts.services import administrator_grant
from duixian.authz.roles import Role
from tests.audit.failing import AuditDown, audit_insert_fails
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_an_enrolment_whose_audit_row_fails_is_not_kept(client, users, time_machine, monkeypatch):
    time_machine.move_to("2026-04-20 10:00:05+08:00", tick=False)
    clerk = users["hefei_clerk"]
    assert client.post("/accounts/login/", {"username": clerk.username, "password": PASSWORD}).status_code == 302
    body = client.get("/accounts/otp/enrol/?next=/dashboard/").content.decode()
    key = b32decode(re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", ""))
    time_machine.shift(timedelta(seconds=2))
    audit_insert_fails(monkeypatch, "otp.enrol")
    with pytest.raises(AuditDown):
        client.post("/accounts/otp/enrol/", {"token": f"{TOTP(key).token():06d}", "next": "/dashboard/"})
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()


def test_a_reset_whose_audit_row_fails_is_not_kept(users, monkeypatch):
    clerk = users["hefei_clerk"]
    device = demo_totp_device(clerk)
    audit_insert_fails(monkeypatch, "otp.reset")
    with pytest.raises(AuditDown):
        otp_reset(clerk, by=users["system_admin"])
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_an_installation_grant_whose_audit_row_fails_is_not_kept(db, monkeypatch):
    user = make_user("installer", "")
    audit_insert_fails(monkeypatch, "admin.create")
    with pytest.raises(AuditDown):
        administrator_grant(user, Role.SYSTEM_ADMIN)
    assert not RoleGrant.objects.exists() and User.objects.get(pk=user.pk).role == ""
