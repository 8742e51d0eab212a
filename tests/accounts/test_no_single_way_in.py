"""Issue 16 item 2: no one person can end up holding a way into application contents.

Each of the three administrators, and a business user, tries every path: create an account,
grant a role, reset a clerk's password, reset a clerk's second factor — then tries to sign in
with whatever credential any of it put on their screen, and to read 合肥's application materials
and the city's materials zip. None gets in. The two-person path (the system administrator
creates, the holder sets the password from the mailed link, the security administrator grants)
does work, and the grant takes effect at once."""

import re

import pytest
from django.test import Client

from duixian.accounts.models import User
from duixian.authz.roles import Role
from tests.conftest import PASSWORD
from tests.review.conftest import make_submitted

pytestmark = pytest.mark.django_db

ACTORS = ["system_admin", "security_admin", "audit_admin", "wuhu_clerk"]
NEW_PASSWORD = "Mole#2026take"


@pytest.fixture
def hefei_application(users, time_machine):
    application = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to("2026-05-06 09:00:00+08:00", tick=False)
    return application


def content_urls(application):
    material = application.materials.first()
    return [f"/review/{application.pk}/", f"/review/{application.pk}/materials/{material.pk}/view/",
            "/exports/city/340100/materials.zip"]


def reads_contents(client, application) -> list[str]:
    opened = []
    for url in content_urls(application):
        response = client.get(url)
        if response.status_code == 200:
            opened.append(url)
    return opened


def credentials_in(bodies: list[str]) -> tuple[set[str], set[str]]:
    """Whatever a screen could have handed over: codes shown, and password links."""
    text = "\n".join(bodies)
    shown = set(re.findall(r"<code[^>]*>([^<]{8,})</code>", text))
    links = set(re.findall(r"/accounts/password/set/[^\s\"'<]+", text))
    return shown, links


def try_everything(actor: User, users, mole_email: str) -> list[str]:
    client = Client()
    client.force_login(actor)
    clerk = users["hefei_clerk"]
    bodies = []
    # 1. create an account (asking for a role the page no longer offers), with an address the actor controls
    bodies.append(client.post("/accounts/manage/users/new/", {
        "username": f"mole_{actor.username}", "full_name": "内鬼", "email": mole_email,
        "role": "city_clerk", "city_code": "340100",
    }).content.decode())
    # 2. grant 合肥 归口管理部门 to that account, to themselves, and to a role-less account
    for username in (f"mole_{actor.username}", actor.username, "blank"):
        bodies.append(client.post("/accounts/manage/roles/", {
            "username": username, "role": "city_clerk", "city_code": "340100", "reason": "查阅材料",
        }, follow=True).content.decode())
    # 3. reset the 合肥 clerk's password, 4. and second factor
    for action in ("reset_password", "reset_otp"):
        bodies.append(client.post(f"/accounts/manage/users/{clerk.pk}/{action}/", follow=True).content.decode())
    return bodies


@pytest.mark.parametrize("actor_key", ACTORS)
def test_nobody_alone_reaches_application_contents(users, hefei_application, actor_key, mailoutbox):
    actor = users[actor_key]
    blank = User(username="blank", email="blank@example.com")
    blank.set_password(PASSWORD)
    blank.save()
    mole_email = f"{actor.username}@example.com"  # the actor's own mailbox
    bodies = try_everything(actor, users, mole_email)

    # Nothing on the actor's screens is a credential.
    shown, links = credentials_in(bodies)
    assert not links, links
    # The actor's own mailbox holds nothing either (a link goes to the registered address only,
    # and an administrator cannot register their own address on an account).
    assert not [m for m in mailoutbox if mole_email in m.to]
    # Whatever was shown, try it: as the new account, as the clerk, as the role-less account.
    for username in (f"mole_{actor.username}", "hefei_clerk", "blank"):
        for candidate in shown:
            attempt = Client()
            if attempt.post("/accounts/login/", {"username": username, "password": candidate}).status_code == 302:
                pytest.fail(f"{actor_key} signed in as {username} with {candidate!r}")
    # No account the actor touched came to hold a role, the clerk's password is unchanged.
    assert not User.objects.filter(username=f"mole_{actor.username}").exclude(role="").exists()
    blank.refresh_from_db()
    if actor_key == "security_admin":
        assert blank.role == Role.CITY_CLERK  # the security administrator's own step ...
        attempt = Client()  # ... but the password is the holder's: the administrator cannot use the account
        assert attempt.post("/accounts/login/", {"username": "blank", "password": NEW_PASSWORD}).status_code == 200
    else:
        assert blank.role == ""
    actor.refresh_from_db()
    assert actor.role == Role(actor.role)  # unchanged, one role
    assert users["hefei_clerk"].__class__.objects.get(pk=users["hefei_clerk"].pk).check_password(PASSWORD)
    # And the actor's own session reads nothing.
    client = Client()
    client.force_login(actor)
    assert reads_contents(client, hefei_application) == []


def test_the_two_person_path_works_and_the_grant_takes_effect(users, hefei_application, mailoutbox):
    sysadmin, secadmin = Client(), Client()
    sysadmin.force_login(users["system_admin"])
    secadmin.force_login(users["security_admin"])
    sysadmin.post("/accounts/manage/users/new/", {"username": "hefei_clerk2", "full_name": "合肥新经办人",
                                                  "email": "clerk2@kjj.hefei.example.gov.cn"})
    [mail] = mailoutbox
    link = re.search(r"https?://[^/]+(/accounts/password/set/\S+)", mail.body).group(1)
    holder = Client()
    form_page = holder.get(link, follow=True)
    holder.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
                {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    clerk2 = User.objects.get(username="hefei_clerk2")
    assert clerk2.check_password(NEW_PASSWORD)
    assert holder.get(link).status_code in (200, 302)  # the link is spent: it shows 链接无效
    assert "链接无效" in holder.get(link, follow=True).content.decode()

    holder.force_login(clerk2)  # (with its second factor, as tests sign staff in)
    assert reads_contents(holder, hefei_application) == []  # no role yet
    secadmin.post("/accounts/manage/roles/", {"username": "hefei_clerk2", "role": "city_clerk", "city_code": "340100",
                                              "reason": "合肥市科技局新任经办人"})
    holder.force_login(User.objects.get(username="hefei_clerk2"))
    assert reads_contents(holder, hefei_application) == content_urls(hefei_application)  # the grant takes effect


def test_a_reset_link_reaches_the_holder_only_and_works(users, mailoutbox):
    sysadmin = Client()
    sysadmin.force_login(users["system_admin"])
    clerk = users["hefei_clerk"]
    page = sysadmin.post(f"/accounts/manage/users/{clerk.pk}/reset_password/").content.decode()
    [mail] = mailoutbox
    assert mail.to == ["hefei_clerk@example.com"]
    path = re.search(r"https?://[^/]+(/accounts/password/set/\S+)", mail.body).group(1)
    assert path not in page and path.split("/")[-2] not in page
    holder = Client()
    set_page = holder.get(path, follow=True)
    holder.post(set_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    from duixian.audit.models import AuditEvent

    assert list(AuditEvent.objects.filter(action__in=["user.password_reset", "password.reset"])
                .values_list("action", "username")) == [("user.password_reset", "sysadmin"), ("password.reset", "hefei_clerk")]


def test_an_account_without_an_email_cannot_be_reset_by_the_administrator(users, mailoutbox):
    clerk = users["hefei_clerk"]
    User.objects.filter(pk=clerk.pk).update(email="")
    sysadmin = Client()
    sysadmin.force_login(users["system_admin"])
    body = sysadmin.post(f"/accounts/manage/users/{clerk.pk}/reset_password/", follow=True).content.decode()
    assert "没有登记邮箱" in body and not mailoutbox
