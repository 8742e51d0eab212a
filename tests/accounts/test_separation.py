"""三员分立: the system administrator manages accounts, the security administrator grants business
roles, the audit administrator only reads the trail; none can do another's job or hold two roles."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from duixian.accounts.models import RoleGrant, User
from duixian.authz.roles import ADMIN_ROLES, Role
from duixian.accounts.selectors import has_business_role
from duixian.accounts.services import AccountError, role_grant, user_create
from duixian.audit.models import AuditEvent
from tests.conftest import PASSWORD

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


def test_system_admin_creates_an_account_without_a_role_and_sees_no_credential(client, users, mailoutbox):
    """Issue 16: the old page let the system administrator pick any role (归口管理部门, even an
    administrator) and showed the one-time password. Now: no role, and the link to set the
    password goes only to the holder's registered address."""
    client.force_login(users["system_admin"])
    response = client.post("/accounts/manage/users/new/", {
        "username": "bengbu_clerk", "full_name": "蚌埠经办人", "email": "bengbu@kjj.example.gov.cn",
        "role": "city_clerk", "city_code": "340300",  # no longer fields of the form: ignored
    })
    assert response.status_code == 200
    body = response.content.decode()
    clerk = User.objects.get(username="bengbu_clerk")
    assert clerk.role == "" and clerk.city_code == "" and not clerk.has_usable_password()
    assert "b***@kjj.example.gov.cn" in body and "issued-password" not in body
    [mail] = mailoutbox
    assert mail.to == ["bengbu@kjj.example.gov.cn"]
    link = re.search(r"/accounts/password/set/\S+", mail.body).group(0)
    assert link not in body
    event = AuditEvent.objects.get(action="user.create")
    assert event.username == "sysadmin" and event.detail["role"] == ""


def test_create_form_asks_for_the_holders_email(client, users):
    client.force_login(users["system_admin"])
    body = client.post("/accounts/manage/users/new/", {"username": "clerk1", "full_name": "x"}).content.decode()
    assert "请填写本人的工作邮箱" in body
    body = client.post("/accounts/manage/users/new/", {"username": "clerk1", "full_name": "x", "email": "SysAdmin@Example.com"}).content.decode()
    assert "不能使用您本人的邮箱为他人开设账号" in body
    assert not User.objects.filter(username="clerk1").exists()


def test_reset_password_mails_a_link_to_the_holder_and_deactivate_blocks_login(client, users, mailoutbox):
    target = users["hefei_clerk"]
    client.force_login(users["system_admin"])
    body = client.post(f"/accounts/manage/users/{target.pk}/reset_password/").content.decode()
    assert "重置链接已发送" in body and "h***@example.com" in body
    assert [m.to for m in mailoutbox] == [["hefei_clerk@example.com"]]
    assert "/accounts/password/set/" not in body
    target.refresh_from_db()
    assert target.check_password(PASSWORD)  # the current password keeps working until the link is used
    client.post(f"/accounts/manage/users/{target.pk}/deactivate/")
    target.refresh_from_db()
    assert not target.is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(target.pk)).exists()
    other = client.__class__()
    assert other.post("/accounts/login/", {"username": "hefei_clerk", "password": PASSWORD}).status_code == 200


def test_system_admin_cannot_deactivate_himself(client, users):
    me = users["system_admin"]
    client.force_login(me)
    response = client.post(f"/accounts/manage/users/{me.pk}/deactivate/", follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def blank_account(username="newcomer", email="newcomer@example.com"):
    """What the system administrator's create page makes: an active account without a role."""
    user = User(username=username, email=email)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_security_admin_grants_and_revokes_a_role_and_both_are_audited(client, users):
    newcomer = blank_account()
    assert not has_business_role(newcomer, Role.CITY_CLERK, "340100")
    client.force_login(users["security_admin"])
    client.post("/accounts/manage/roles/", {
        "username": "newcomer", "role": "city_clerk", "city_code": "340100", "reason": "合肥市科技局新任经办人",
    })
    grant = RoleGrant.objects.get(user=newcomer)
    newcomer.refresh_from_db()
    assert newcomer.role == Role.CITY_CLERK and newcomer.city_code == "340100"  # the grant takes effect
    assert has_business_role(newcomer, Role.CITY_CLERK, "340100")
    assert not has_business_role(newcomer, Role.CITY_CLERK, "340200")
    client.post(f"/accounts/manage/roles/{grant.pk}/revoke/")
    newcomer.refresh_from_db()
    assert newcomer.role == "" and not has_business_role(newcomer, Role.CITY_CLERK, "340100")
    actions = list(AuditEvent.objects.filter(action__startswith="role.").values_list("action", "username"))
    assert actions == [("role.grant", "secadmin"), ("role.revoke", "secadmin")]
    assert AuditEvent.objects.get(action="role.grant").detail["reason"] == "合肥市科技局新任经办人"


def test_an_account_that_has_a_role_gets_no_second_one(users):
    """Administrators and applicants included: one account, one role."""
    for holder in ("system_admin", "audit_admin", "hefei_applicant", "expert"):
        with pytest.raises(AccountError, match="一个账号只能担任一种角色"):
            role_grant(users[holder], Role.PROVINCE, by=users["security_admin"], reason="排查故障")
    assert RoleGrant.objects.count() == 0


def test_expired_grant_no_longer_counts(users, time_machine):
    from duixian.accounts.services import grants_expire

    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    investigator = blank_account("investigator", "inv@example.com")
    role_grant(investigator, Role.PROVINCE, by=users["security_admin"], reason="配合检查",
               expires_at=timezone.now() + timezone.timedelta(hours=1))
    investigator.refresh_from_db()
    assert has_business_role(investigator, Role.PROVINCE)
    time_machine.shift(timezone.timedelta(hours=1, seconds=1))
    investigator.refresh_from_db()
    assert not has_business_role(investigator, Role.PROVINCE)
    from duixian.accounts.backends import AccountBackend

    assert AccountBackend().get_user(investigator.pk).role == ""  # a signed-in session loses it at once
    assert grants_expire() == 1
    investigator.refresh_from_db()
    assert investigator.role == "" and RoleGrant.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="role.expire").exists()


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


def test_installation_command_creates_an_administrator_through_a_grant(monkeypatch):
    import io

    from django.core.management import CommandError, call_command

    monkeypatch.setattr("sys.stdin", io.StringIO("Inst#2026admin\n"))
    call_command("admin", "create", "secadmin2", "security_admin", "--email", "sec2@example.com", "--password-stdin",
                 stdout=io.StringIO())
    user = User.objects.get(username="secadmin2")
    assert user.role == Role.SECURITY_ADMIN and user.check_password("Inst#2026admin")
    grant = RoleGrant.objects.get(user=user)
    assert grant.granted_by is None and not grant.revocable
    assert AuditEvent.objects.get(action="admin.create").detail == {"username": "secadmin2", "role": "security_admin"}
    monkeypatch.setattr("sys.stdin", io.StringIO("Inst#2026admin\n"))
    with pytest.raises(CommandError, match="一种角色"):  # a second administrator role for the same account
        call_command("admin", "create", "secadmin2", "audit_admin", "--email", "x@example.com", "--password-stdin")
    with pytest.raises(AccountError, match="不能在此撤销"):
        from duixian.accounts.services import role_revoke

        role_revoke(grant, by=User.objects.create(username="othersec", role=Role.SECURITY_ADMIN))


def test_the_migration_records_existing_roles_as_grants_and_drops_second_roles(users):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("duixian.accounts.migrations.0004_roles_from_grants")
    # An old-style extra grant: the audit administrator reading 合肥's applications.
    RoleGrant.objects.bulk_create([RoleGrant(user=users["audit_admin"], role=Role.CITY_CLERK, city_code="340100",
                                             reason="旧版：额外授权", granted_by=None, granted_at=timezone.now())])
    migration.grants_for_existing_roles(apps, None)
    active = {(g.user.username, g.role, g.city_code) for g in RoleGrant.objects.filter(revoked_at__isnull=True)}
    assert active == {
        ("hefei_clerk", "city_clerk", "340100"), ("wuhu_clerk", "city_clerk", "340200"), ("province", "province", ""),
        ("expert", "expert", ""), ("sysadmin", "system_admin", ""), ("secadmin", "security_admin", ""),
        ("auditadmin", "audit_admin", ""),
    }
    assert RoleGrant.objects.get(reason="旧版：额外授权").revoked_at is not None
