"""Passwords: ≥ 8 characters, three of four classes, never the username; forced change at first login."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from duixian.accounts.models import User
from duixian.authz.roles import Role
from duixian.audit.models import AuditEvent
from tests.conftest import PASSWORD, make_user, otp_login


def messages_for(password, username="zhangsan"):
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize("password", ["Abcdef1!", "abcdef12!", "ABCDEF12a", "Hefei#2026", "密码Abc12345"])
def test_strong_passwords_pass(password):
    assert messages_for(password) == []


def test_seven_characters_are_too_short():
    assert "密码至少需要 8 个字符。" in messages_for("Ab1!xyz")


@pytest.mark.parametrize("password", ["abcdefghij", "abcdef1234", "ABCDEF!@#$", "1234567890!"])
def test_two_classes_are_not_enough(password):
    assert any("至少 3 类" in m for m in messages_for(password))


def test_password_containing_the_username_is_refused_whatever_the_case():
    assert "密码不能包含用户名。" in messages_for("ZhangSan#2026", username="zhangsan")


@pytest.mark.django_db
def test_account_created_by_an_administrator_must_change_password_before_anything_else(client, hefei_org):
    user = make_user("new_applicant", Role.APPLICANT, organisation=hefei_org, must_change_password=True)
    client.post("/accounts/login/", {"username": "new_applicant", "password": PASSWORD})
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "首次登录" in page.content.decode() or "请先设置只有您自己知道的新密码" in page.content.decode()

    weak = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"})
    assert "至少 3 类" in weak.content.decode()
    assert client.get("/dashboard/").status_code == 302

    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "Hefei#2026x", "new_password2": "Hefei#2026x"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get("/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(action="password.change", username="new_applicant", detail__forced=True).exists()


@pytest.mark.django_db
def test_forced_change_comes_after_the_second_factor_for_staff(client, real_otp):
    clerk = make_user("new_clerk", Role.CITY_CLERK, city_code="340100", must_change_password=True)
    client.force_login(clerk)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/otp/")
    otp_login(client, clerk)
    assert client.get("/dashboard/")["Location"] == "/accounts/password/"
