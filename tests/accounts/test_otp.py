"""TOTP two-factor: mandatory for staff and administrators, optional for applicants."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from duixian.accounts.otp import DEMO_TOTP_KEY, current_code, demo_totp_device
from duixian.authz.roles import STAFF_ROLES, Role
from duixian.audit.models import AuditEvent
from tests.conftest import PASSWORD, otp_login, totp_code

pytestmark = pytest.mark.django_db

STAFF_KEYS = ["hefei_clerk", "province", "expert", "system_admin", "security_admin", "audit_admin"]


def password_login(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("key", STAFF_KEYS)
def test_staff_without_a_device_must_enrol_before_any_page(client, users, key):
    password_login(client, users[key])
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/enrol/")


def test_every_staff_role_requires_the_second_factor():
    assert {Role.CITY_CLERK, Role.PROVINCE, Role.EXPERT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN} == STAFF_ROLES


def test_enrolment_shows_secret_and_qr_and_confirms_with_the_first_code(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:05+08:00", tick=False)
    clerk = users["hefei_clerk"]
    password_login(client, clerk)
    page = client.get("/accounts/otp/enrol/?next=/dashboard/")
    body = page.content.decode()
    assert "otpauth://totp/" in body and "<svg" in body
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    from base64 import b32decode

    key = b32decode(secret)
    wrong = client.post("/accounts/otp/enrol/", {"token": "000000" if TOTP(key).token() != 0 else "111111"})
    assert "动态验证码不正确或已过期" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()

    time_machine.shift(timedelta(seconds=2))  # after a wrong code the next try waits a second
    done = client.post("/accounts/otp/enrol/", {"token": f"{TOTP(key).token():06d}", "next": "/dashboard/"})
    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(action="otp.enrol", username="hefei_clerk", outcome="success").exists()


def test_password_then_code_lets_staff_in_and_a_wrong_code_does_not(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:05+08:00", tick=False)
    province = users["province"]
    demo_totp_device(province)
    password_login(client, province)
    assert client.get("/dashboard/")["Location"] == "/accounts/otp/?next=%2Fdashboard%2F"
    page = client.post("/accounts/otp/", {"token": "12345a"})
    assert "动态验证码只包含数字" in page.content.decode()
    bad = client.post("/accounts/otp/", {"token": "000000" if totp_code(province) != "000000" else "111111"})
    assert "动态验证码不正确或已过期" in bad.content.decode()
    assert client.get("/dashboard/").status_code == 302

    time_machine.shift(timedelta(seconds=2))
    ok = client.post("/accounts/otp/", {"token": totp_code(province), "next": "/dashboard/"})
    assert ok["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    outcomes = list(AuditEvent.objects.filter(action="login.otp").values_list("outcome", flat=True))
    assert outcomes == ["failure", "success"]


def test_a_code_cannot_be_used_twice(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:05+08:00", tick=False)
    expert = users["expert"]
    device = demo_totp_device(expert)
    code = current_code(device)
    password_login(client, expert)
    assert client.post("/accounts/otp/", {"token": code})["Location"] == "/dashboard/"
    client.post("/accounts/logout/")
    password_login(client, expert)
    again = client.post("/accounts/otp/", {"token": code})
    assert again.status_code == 200 and "不正确或已过期" in again.content.decode()


def test_repeated_wrong_codes_are_throttled(client, users, time_machine):
    time_machine.move_to("2026-04-20 10:00:05+08:00", tick=False)
    clerk = users["wuhu_clerk"]
    device = demo_totp_device(clerk)
    good = current_code(device)
    wrong = "000000" if good != "000000" else "111111"
    password_login(client, clerk)
    client.post("/accounts/otp/", {"token": wrong})
    throttled = client.post("/accounts/otp/", {"token": good})  # even the right code waits after a failure
    assert "错误次数过多" in throttled.content.decode()
    time_machine.shift(timedelta(seconds=2))
    assert client.post("/accounts/otp/", {"token": current_code(device, fresh=True)}).status_code == 302


def test_force_login_is_unverified_until_otp_login(client, users, real_otp):
    client.force_login(users["audit_admin"])
    assert client.get("/dashboard/").status_code == 302
    otp_login(client, users["audit_admin"])
    assert client.get("/dashboard/").status_code == 200


def test_applicants_need_no_code_unless_they_enrol(client, users):
    applicant = users["hefei_applicant"]
    password_login(client, applicant)
    assert client.get("/dashboard/").status_code == 200
    assert "未开启" in client.get("/accounts/security/").content.decode()
    client.post("/accounts/logout/")
    demo_totp_device(applicant)  # the applicant chose to enrol
    password_login(client, applicant)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/otp/")


def test_public_pages_stay_public_for_an_unverified_session(client, users, real_otp):
    client.force_login(users["province"])
    assert client.get("/").status_code == 200


def test_demo_staff_get_the_fixed_secret_and_the_command_prints_the_code(users, capsys, settings):
    from duixian.demo.loader import load_demo

    settings.DEMO_MODE = True
    load_demo()
    device = TOTPDevice.objects.get(user__username="hefei_clerk", confirmed=True)
    assert device.key == DEMO_TOTP_KEY
    assert not TOTPDevice.objects.filter(user__username="hefei_applicant").exists()
    call_command("demo", "totp", "hefei_clerk")
    out = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", out) and out == current_code(device, fresh=True)


def test_demo_totp_refuses_an_account_without_the_demo_secret(users):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有演示动态验证码"):
        call_command("demo", "totp", "hefei_applicant")
