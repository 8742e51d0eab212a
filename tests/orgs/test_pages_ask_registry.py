"""Editing an organisation's profile and uploading its 授权书 are actions of the authorization
registry (organisation.profile_edit, organisation.letter_upload): the pages ask the registry, not
the rule functions by name, so the role table (the organisation's own applicant users) is the most
either may ever allow, and who may do what is unchanged: 经办人 and 填报人 edit the profile, the
查看人 reads it and is told why, only the 经办人 uploads the 授权书 until it is confirmed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duixian import authz
from duixian.orgs.models import AuthorityLetter, OrgMembership, OrgRole, OrgStatus

pytestmark = pytest.mark.django_db

EVERYONE = ["hefei_applicant", "wuhu_applicant", "hefei_clerk", "wuhu_clerk", "province", "expert",
            "system_admin", "security_admin", "audit_admin"]
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def _as(user, role):
    OrgMembership.objects.update_or_create(user=user, defaults={
        "organisation": user.organisation, "role": role, "active": True})
    return user


def _pending(org):
    org.status = OrgStatus.PENDING
    org.save(update_fields=["status"])
    return org


def _rule_answers(monkeypatch, action, decision):
    found = authz.get_rule(action)
    monkeypatch.setitem(authz._rules, action, replace(found, function=lambda user, obj: decision))


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_organisations_own_users_may_edit_its_profile_or_upload_its_letter(users, hefei_org, who):
    _pending(hefei_org)
    allowed = who == "hefei_applicant"  # no membership row and no 经办人: counts as its 经办人
    assert authz.check(users[who], "organisation.profile_edit", hefei_org).allowed is allowed
    assert authz.check(users[who], "organisation.letter_upload", hefei_org).allowed is allowed


@pytest.mark.parametrize("role, edits, uploads", [
    (OrgRole.MANAGER, True, True), (OrgRole.EDITOR, True, False), (OrgRole.VIEWER, False, False)])
def test_each_member_role_keeps_what_it_may_do(users, hefei_org, role, edits, uploads):
    user = _as(users["hefei_applicant"], role)
    _pending(hefei_org)
    profile = authz.check(user, "organisation.profile_edit", hefei_org)
    assert profile.allowed is edits
    if role == OrgRole.VIEWER:
        assert profile.reason == "您在本单位的角色为查看人，不能修改单位信息；如需修改请联系本单位经办人。"
    upload = authz.check(user, "organisation.letter_upload", hefei_org)
    assert upload.allowed is uploads
    if not uploads:
        assert upload.reason == "只有本单位经办人可以上传授权书。"


def test_a_confirmed_organisation_uploads_no_letter(users, hefei_org):
    decision = authz.check(users["hefei_applicant"], "organisation.letter_upload", hefei_org)
    assert not decision.allowed and decision.reason == "授权书已经归口管理部门确认，无需再次上传。"


@pytest.mark.parametrize("who", [w for w in EVERYONE if w not in ("hefei_applicant", "wuhu_applicant")])
def test_a_role_outside_the_table_is_refused_even_were_the_function_to_allow_it(users, hefei_org, monkeypatch,
                                                                                who):
    _rule_answers(monkeypatch, "organisation.profile_edit", authz.allow())
    _rule_answers(monkeypatch, "organisation.letter_upload", authz.allow())
    for action in ("organisation.profile_edit", "organisation.letter_upload"):
        decision = authz.check(users[who], action, hefei_org)
        assert not decision.allowed and decision.reason == "您无权进行此操作。"


def test_the_profile_page_asks_the_registry(client, login, users, hefei_org, monkeypatch):
    login(client, users["hefei_applicant"])
    assert 'method="post"' in client.get(reverse("orgs:profile")).content.decode()
    _rule_answers(monkeypatch, "organisation.profile_edit", authz.deny("登记处不准修改。", hidden=False))
    body = client.get(reverse("orgs:profile")).content.decode()
    assert "登记处不准修改。" in body and 'class="card" novalidate' not in body
    refused = client.post(reverse("orgs:profile"), {"address": "别处"}, follow=True)
    assert "登记处不准修改。" in refused.content.decode()
    hefei_org.refresh_from_db()
    assert hefei_org.address != "别处"


def test_the_organisation_page_and_the_upload_ask_the_registry(client, login, users, hefei_org, monkeypatch):
    _pending(hefei_org)
    login(client, users["hefei_applicant"])
    assert reverse("orgs:letter_upload") in client.get(reverse("orgs:mine")).content.decode()
    _rule_answers(monkeypatch, "organisation.letter_upload", authz.deny("登记处不准上传。", hidden=False))
    assert reverse("orgs:letter_upload") not in client.get(reverse("orgs:mine")).content.decode()
    refused = client.post(reverse("orgs:letter_upload"),
                          {"file": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf")}, follow=True)
    assert "登记处不准上传。" in refused.content.decode()
    assert not AuthorityLetter.objects.filter(organisation=hefei_org).exists()
