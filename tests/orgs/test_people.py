"""People: one-time invitations, roles inside the organisation, removal that ends sessions, visibility."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from duixian.accounts.models import User
from duixian.core import clock
from duixian.orgs.consent import CONSENT_VERSION
from duixian.orgs.models import ConsentRecord, Invitation, OrgMembership, OrgRole
from duixian.orgs.permissions import can_edit_drafts, member_role
from tests.orgs.test_registration import _fast_hashing, register  # noqa: F401

PASSWORD = "Join#2026-strong"


@pytest.fixture
def manager(db):
    client = Client()
    register(client)
    return client


def invite(manager_client, role="editor") -> str:
    page = manager_client.post(reverse("orgs:people"), {"role": role, "note": "王同事"}).content.decode()
    match = re.search(r'id="invite-url" readonly value="([^"]+)"', page)
    assert match, page
    return match.group(1).replace("http://testserver", "")


def join(url, username="wang_tx", **overrides):
    data = {"username": username, "full_name": "王同事", "phone": "13023098652", "password1": PASSWORD,
            "password2": PASSWORD, "consent": "on", "consent_version": CONSENT_VERSION}
    data.update(overrides)
    client = Client()
    return client, client.post(url, {k: v for k, v in data.items() if v is not None})


def test_an_invited_colleague_joins_once_with_the_role_given(manager):
    url = invite(manager, "viewer")
    assert Invitation.objects.get().token_sha256 not in url  # only the hash is stored
    client, response = join(url)
    assert response.status_code == 302
    user = User.objects.get(username="wang_tx")
    assert user.organisation.name == "合肥新锐智能科技有限公司"
    assert user.membership.role == OrgRole.VIEWER
    assert ConsentRecord.objects.filter(user=user, purpose="invitation").exists()
    assert client.get(reverse("orgs:mine")).status_code == 200
    _other, again = join(url, username="second_person")
    assert again.status_code == 410 and "已被使用过" in again.content.decode()
    assert not User.objects.filter(username="second_person").exists()


def test_joining_needs_consent(manager):
    url = invite(manager)
    _client, response = join(url, consent=None)
    assert "请阅读个人信息处理告知书并勾选同意" in response.content.decode()
    assert not User.objects.filter(username="wang_tx").exists()
    assert Invitation.objects.get().used_at is None


def test_an_expired_link_is_refused(manager, time_machine):
    url = invite(manager)
    time_machine.move_to(clock.now() + timedelta(days=7), tick=False)
    _client, response = join(url)
    assert response.status_code == 410 and "已过期" in response.content.decode()


def test_a_link_is_valid_until_just_before_seven_days(manager, time_machine):
    url = invite(manager)
    time_machine.move_to(Invitation.objects.get().expires_at - timedelta(seconds=1), tick=False)
    _client, response = join(url)
    assert response.status_code == 302


def test_a_revoked_or_made_up_link_is_refused(manager):
    url = invite(manager)
    invitation = Invitation.objects.get()
    manager.post(reverse("orgs:invitation_revoke", args=[invitation.pk]))
    _client, response = join(url)
    assert "已被经办人撤销" in response.content.decode()
    _client, response = join(reverse("orgs:join", args=["not-a-real-token"]))
    assert response.status_code == 404 and "邀请链接无效" in response.content.decode()


def test_only_the_manager_invites(manager):
    url = invite(manager, "editor")
    editor, _response = join(url)
    assert editor.post(reverse("orgs:people"), {"role": "editor"}).status_code == 404
    assert "生成邀请链接" not in editor.get(reverse("orgs:people")).content.decode()


def test_roles_decide_editing(manager):
    viewer, _r = join(invite(manager, "viewer"), username="viewer1")
    editor, _r = join(invite(manager, "editor"), username="editor1")
    v, e = User.objects.get(username="viewer1"), User.objects.get(username="editor1")
    assert not can_edit_drafts(v, v.organisation)[0] and can_edit_drafts(e, e.organisation)[0]
    response = viewer.post(reverse("orgs:profile"), {"address": "x", "legal_representative": "y",
                                                     "contact_phone": "13155113928"}, follow=True)
    assert "查看人" in response.content.decode()
    manager.post(reverse("orgs:member_role", args=[v.pk]), {"role": "editor"})
    assert member_role(User.objects.get(pk=v.pk)) == OrgRole.EDITOR


def test_removing_a_person_deactivates_them_and_ends_their_sessions(manager):
    member_client, _r = join(invite(manager), username="leaving")
    member = User.objects.get(username="leaving")
    assert member_client.get(reverse("orgs:mine")).status_code == 200
    sessions_before = Session.objects.count()
    response = manager.post(reverse("orgs:member_remove", args=[member.pk]), follow=True)
    assert "已停用并已退出登录" in response.content.decode()
    member.refresh_from_db()
    assert not member.is_active and not OrgMembership.objects.get(user=member).active
    assert Session.objects.count() == sessions_before - 1
    after = member_client.get(reverse("orgs:mine"))
    assert after.status_code == 302 and "/accounts/login/" in after.url
    assert not Client().login(username="leaving", password=PASSWORD)


def test_the_manager_cannot_remove_themselves(manager):
    me = User.objects.get(username="xinrui_jbr")
    response = manager.post(reverse("orgs:member_remove", args=[me.pk]), follow=True)
    assert "不能移除自己" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_a_manager_cannot_touch_another_organisations_people(manager, users):
    other = users["wuhu_applicant"]
    assert manager.post(reverse("orgs:member_remove", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_an_organisation_is_visible_only_to_its_people_its_city_and_the_province(manager, users, login):
    from duixian.orgs.models import Organisation

    org = Organisation.objects.get(uscc__startswith="91340104")
    url = reverse("orgs:review", args=[org.pk])
    assert manager.get(url).status_code == 200
    client = Client()
    for name, status in [("wuhu_applicant", 404), ("hefei_applicant", 404), ("wuhu_clerk", 404), ("expert", 404),
                         ("system_admin", 404), ("hefei_clerk", 200), ("province", 200)]:
        login(client, users[name])
        assert client.get(url).status_code == status, name


def test_accounts_without_a_membership_row_still_have_a_role(users):
    # Demo data and older fixtures make applicants without memberships: the first is the manager.
    applicant = users["hefei_applicant"]
    assert member_role(applicant) == OrgRole.MANAGER
