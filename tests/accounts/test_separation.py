"""三员分立: the system administrator manages accounts, the security administrator grants business
roles, the audit administrator only reads the trail; none can do another's job or hold two roles."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from duixian.accounts.models import RoleGrant, User
from duixian.accounts.roles import ADMIN_ROLES, Role
from duixian.accounts.selectors import has_business_role
from duixian.accounts.services import AccountError, role_grant, user_create
from duixian.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ADMIN_PAGES = {
    "system_admin": ["/accounts/manage/users/", "/accounts/manage/users/new/"],
    "security_admin": ["/accounts/manage/roles/"],
    "audit_admin": ["/audit/", "/audit/export/?format=csv", "/audit/verify/"],
}


@pytest.mark.parametrize("owner", ADMIN_PAGES)
@pytest.mark.parametrize("visitor", ["system_admin", "security_admin", "audit_admin", "province", "hefei_clerk", "hefei_applicant", "expert"])
def test_each_administrator_page_opens_only_for_its_administrator(client, users, owner, visitor):
    client.force_login(users[visitor])
    for url in ADMIN_PAGES[owner]:
        status = client.get(url).status_code
        assert status == (200 if owner == visitor else 404), f"{visitor} on {url}: {status}"


def test_system_admin_creates_a_clerk_who_must_change_the_issued_password(client, users):
    client.force_login(users["system_admin"])
    response = client.post("/accounts/manage/users/new/", {
        "username": "bengbu_clerk", "full_name": "蚌埠经办人", "role": "city_clerk", "city_code": "340300",
    })
    assert response.status_code == 200
    password = re.search(r'id="issued-password">([^<]+)<', response.content.decode()).group(1)
    from html import unescape
    password = unescape(password)
    clerk = User.objects.get(username="bengbu_clerk")
    assert clerk.role == Role.CITY_CLERK and clerk.city_code == "340300" and clerk.must_change_password
    assert clerk.check_password(password)
    event = AuditEvent.objects.get(action="user.create")
    assert event.username == "sysadmin" and event.detail["role"] == "city_clerk"


def test_create_form_explains_missing_city_and_organisation(client, users):
    client.force_login(users["system_admin"])
    body = client.post("/accounts/manage/users/new/", {"username": "c1", "full_name": "x", "role": "city_clerk"}).content.decode()
    assert "归口管理部门用户必须选择所在市" in body
    body = client.post("/accounts/manage/users/new/", {"username": "a1", "full_name": "x", "role": "applicant"}).content.decode()
    assert "申报单位用户必须选择所属申报单位" in body


def test_reset_password_forces_a_change_and_deactivate_blocks_login(client, users):
    target = users["hefei_clerk"]
    client.force_login(users["system_admin"])
    body = client.post(f"/accounts/manage/users/{target.pk}/reset_password/").content.decode()
    assert "密码已重置" in body
    target.refresh_from_db()
    assert target.must_change_password
    client.post(f"/accounts/manage/users/{target.pk}/deactivate/")
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(target.pk)).exists()
    other = client.__class__()
    assert other.post("/accounts/login/", {"username": "hefei_clerk", "password": "whatever"}).status_code == 200


def test_system_admin_cannot_deactivate_himself(client, users):
    me = users["system_admin"]
    client.force_login(me)
    response = client.post(f"/accounts/manage/users/{me.pk}/deactivate/", follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_security_admin_grants_and_revokes_a_business_role_and_both_are_audited(client, users):
    auditor = users["audit_admin"]
    assert not has_business_role(auditor, Role.CITY_CLERK, "340100")
    client.force_login(users["security_admin"])
    client.post("/accounts/manage/roles/", {
        "username": "auditadmin", "role": "city_clerk", "city_code": "340100", "reason": "配合检查，查阅合肥市申报材料",
    })
    grant = RoleGrant.objects.get(user=auditor)
    assert has_business_role(auditor, Role.CITY_CLERK, "340100")
    assert not has_business_role(auditor, Role.CITY_CLERK, "340200")
    client.post(f"/accounts/manage/roles/{grant.pk}/revoke/")
    assert not has_business_role(auditor, Role.CITY_CLERK, "340100")
    actions = list(AuditEvent.objects.filter(action__startswith="role.").values_list("action", "username"))
    assert actions == [("role.grant", "secadmin"), ("role.revoke", "secadmin")]
    assert AuditEvent.objects.get(action="role.grant").detail["reason"] == "配合检查，查阅合肥市申报材料"


def test_expired_grant_no_longer_counts(users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    role_grant(users["system_admin"], Role.PROVINCE, by=users["security_admin"], reason="排查故障",
               expires_at=timezone.now() + timezone.timedelta(hours=1))
    assert has_business_role(users["system_admin"], Role.PROVINCE)
    time_machine.shift(timezone.timedelta(hours=1, seconds=1))
    assert not has_business_role(users["system_admin"], Role.PROVINCE)


@pytest.mark.parametrize("admin_role", sorted(ADMIN_ROLES))
def test_no_account_can_come_to_hold_a_second_administrator_role(users, admin_role):
    """Tries every route: a grant through the service, a grant row in the database, and the form."""
    secadmin = users["security_admin"]
    for holder in ("system_admin", "security_admin", "audit_admin"):
        target = users[holder]
        if target.pk == secadmin.pk:
            continue
        with pytest.raises(AccountError, match="管理员角色不能授予"):
            role_grant(target, admin_role, by=secadmin, reason="试一试")
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleGrant.objects.create(user=target, role=admin_role, reason="直接写库", granted_by=secadmin, granted_at=timezone.now())
    # The grant form does not even offer an administrator role.
    from duixian.accounts.forms import RoleGrantForm

    assert admin_role not in dict(RoleGrantForm().fields["role"].choices)
    # One role field per account: a user row holds exactly one role.
    assert all(u.role in Role.values for u in User.objects.all())
    assert RoleGrant.objects.count() == 0


def test_security_admin_cannot_grant_himself_and_others_cannot_grant_at_all(users):
    with pytest.raises(AccountError, match="不能给自己授权"):
        role_grant(users["security_admin"], Role.PROVINCE, by=users["security_admin"], reason="x")
    for other in ("system_admin", "audit_admin", "province"):
        with pytest.raises(AccountError, match="只有安全管理员"):
            role_grant(users["expert"], Role.PROVINCE, by=users[other], reason="x")


def test_only_the_system_admin_creates_accounts(users):
    for other in ("security_admin", "audit_admin", "province"):
        with pytest.raises(AccountError, match="只有系统管理员"):
            user_create(by=users[other], username="x1", role=Role.EXPERT)


def test_issued_passwords_meet_the_policy():
    from django.contrib.auth.password_validation import validate_password

    from duixian.accounts.services import temporary_password

    for _ in range(50):
        validate_password(temporary_password(), User(username="someone"))
