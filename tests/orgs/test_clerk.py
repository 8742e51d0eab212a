"""The city clerk's side: the list awaiting confirmation, confirm, reject with a reason, transfer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from duixian.accounts.models import User
from duixian.audit.models import AuditEvent
from duixian.orgs.models import AuthorityLetter, LetterStatus, OrgMembership, OrgRole, OrgStatus, Organisation
from duixian.orgs.permissions import organisation_can_submit
from tests.orgs.test_registration import _fast_hashing, register, tiny_pdf  # noqa: F401
from tests.orgs.test_registration_letter import upload


@pytest.fixture
def pending(db, users):
    """A Hefei organisation registered by its 经办人 with a 授权书 uploaded; returns (org, applicant client)."""
    applicant = Client()
    register(applicant)
    upload(applicant, tiny_pdf())
    return Organisation.objects.get(uscc__startswith="91340104"), applicant


def test_the_city_clerk_sees_its_own_city_waiting_with_the_letter_previewed(client, pending, login, users):
    org, _applicant = pending
    login(client, users["hefei_clerk"])
    listing = client.get(reverse("orgs:review_list")).content.decode()
    assert org.name in listing and "待确认（1）" in listing
    page = client.get(reverse("orgs:review", args=[org.pk]))
    text = page.content.decode()
    letter = AuthorityLetter.objects.get()
    assert f'<iframe class="letter-preview" src="{reverse("orgs:letter_file", args=[letter.pk])}"' in text
    assert "确认单位注册" in text


def test_another_city_neither_lists_nor_opens_it(client, pending, login, users):
    org, _applicant = pending
    login(client, users["wuhu_clerk"])
    assert org.name not in client.get(reverse("orgs:review_list")).content.decode()
    assert client.get(reverse("orgs:review", args=[org.pk])).status_code == 404
    assert client.post(reverse("orgs:confirm", args=[org.pk])).status_code == 404
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING


def test_applicants_and_experts_cannot_reach_the_clerk_pages(client, pending, login, users):
    org, _applicant = pending
    for name in ("hefei_applicant", "expert"):
        login(client, users[name])
        assert client.get(reverse("orgs:review_list")).status_code == 404
        assert client.get(reverse("orgs:review", args=[org.pk])).status_code == 404


def test_confirming_lets_the_organisation_submit_and_is_audited(client, pending, login, users):
    org, applicant = pending
    login(client, users["hefei_clerk"])
    response = client.post(reverse("orgs:confirm", args=[org.pk]))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == OrgStatus.CONFIRMED and org.confirmed_by == users["hefei_clerk"]
    assert AuthorityLetter.objects.get().status == LetterStatus.CONFIRMED
    assert organisation_can_submit(org) == (True, "")
    event = AuditEvent.objects.get(action="org.confirm")
    assert event.username == "hefei_clerk" and event.object_id == str(org.pk)
    assert "可以提交申报" in applicant.get(reverse("orgs:mine")).content.decode()
    # A second confirmation (another clerk acting at once) is told it was already done.
    again = client.post(reverse("orgs:confirm", args=[org.pk]), follow=True)
    assert "该单位已处理" in again.content.decode()


def test_rejecting_needs_a_reason_which_the_applicant_then_reads(client, pending, login, users):
    org, applicant = pending
    login(client, users["hefei_clerk"])
    response = client.post(reverse("orgs:reject", args=[org.pk]), {"reason": ""})
    assert response.status_code == 400 and "请填写未通过的原因" in response.content.decode()
    client.post(reverse("orgs:reject", args=[org.pk]), {"reason": "授权书未加盖公章，请盖章后重新上传。"})
    org.refresh_from_db()
    assert org.status == OrgStatus.REJECTED
    assert "未加盖公章" in AuditEvent.objects.get(action="org.reject").detail["reason"]
    page = applicant.get(reverse("orgs:mine")).content.decode()
    assert "授权书未加盖公章" in page
    allowed, reason = organisation_can_submit(org)
    assert not allowed and "未加盖公章" in reason
    # Uploading a new letter puts the organisation back in the clerk's list.
    upload(applicant, tiny_pdf("stamped"))
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING
    assert org.name in client.get(reverse("orgs:review_list")).content.decode()


def test_a_chosen_city_is_confirmed_by_that_citys_clerk(client, db, users, login):
    from tests.orgs.test_registration import PROVINCE_USCC

    applicant = Client()
    register(applicant, uscc=PROVINCE_USCC, kind="research_institute", city_code="340200")
    upload(applicant, tiny_pdf())
    org = Organisation.objects.get(uscc=PROVINCE_USCC)
    login(client, users["wuhu_clerk"])
    text = client.get(reverse("orgs:review_list")).content.decode()
    assert org.name in text and "地市由单位选择" in text
    login(client, users["hefei_clerk"])
    assert client.get(reverse("orgs:review", args=[org.pk])).status_code == 404


def test_the_clerk_transfers_the_manager_role(client, pending, login, users):
    org, applicant = pending
    first = User.objects.get(username="xinrui_jbr")
    colleague = User.objects.create_user("colleague", password="x", role="applicant", organisation=org)
    OrgMembership.objects.create(user=colleague, organisation=org, role=OrgRole.EDITOR)
    login(client, users["wuhu_clerk"])
    assert client.post(reverse("orgs:transfer", args=[org.pk]), {"member": colleague.pk}).status_code == 404
    login(client, users["hefei_clerk"])
    response = client.post(reverse("orgs:transfer", args=[org.pk]), {"member": colleague.pk})
    assert response.status_code == 302
    assert OrgMembership.objects.get(user=colleague).role == OrgRole.MANAGER
    assert OrgMembership.objects.get(user=first).role == OrgRole.EDITOR
    assert AuditEvent.objects.get(action="org.transfer_ownership").detail["new_manager"] == "colleague"
    # The former manager can no longer invite people.
    assert applicant.post(reverse("orgs:people"), {"role": "editor"}).status_code == 404


def test_transfer_to_someone_outside_the_organisation_is_refused(client, pending, login, users):
    org, _applicant = pending
    login(client, users["hefei_clerk"])
    response = client.post(reverse("orgs:transfer", args=[org.pk]), {"member": users["wuhu_applicant"].pk})
    assert response.status_code == 400 and "请选择本单位的有效成员" in response.content.decode()


def test_the_province_sees_every_city_but_cannot_confirm(client, pending, login, users):
    org, _applicant = pending
    login(client, users["province"])
    assert org.name in client.get(reverse("orgs:review_list")).content.decode()
    assert client.post(reverse("orgs:confirm", args=[org.pk])).status_code == 404


def test_dashboard_links_by_role(pending, users):
    from duixian.orgs.dashboard import dashboard_links

    assert "（1）" in dashboard_links(users["hefei_clerk"])[0]["label"]
    assert "（0）" in dashboard_links(users["wuhu_clerk"])[0]["label"]
    assert [link["url"] for link in dashboard_links(users["hefei_applicant"])] == [
        reverse("orgs:mine"), reverse("orgs:profile"), reverse("orgs:people")]
    assert dashboard_links(users["expert"]) == []


def test_a_chosen_city_can_be_corrected_before_confirmation_only(client, db, users, login):
    from tests.orgs.test_registration import HEFEI_USCC, PROVINCE_USCC

    applicant = Client()
    register(applicant, uscc=PROVINCE_USCC, kind="research_institute", city_code="340200")
    upload(applicant, tiny_pdf())
    org = Organisation.objects.get(uscc=PROVINCE_USCC)
    login(client, users["wuhu_clerk"])
    client.post(reverse("orgs:reject", args=[org.pk]), {"reason": "该单位位于合肥市，请改选合肥市。"})
    assert "更改所在地市" in applicant.get(reverse("orgs:mine")).content.decode()
    applicant.post(reverse("orgs:change_city"), {"city_code": "340100"})
    org.refresh_from_db()
    assert org.city_code == "340100"
    assert AuditEvent.objects.get(action="org.change_city").detail == {"old": "340200", "new": "340100"}
    upload(applicant, tiny_pdf())
    login(client, users["hefei_clerk"])
    client.post(reverse("orgs:confirm", args=[org.pk]))
    response = applicant.post(reverse("orgs:change_city"), {"city_code": "340200"}, follow=True)
    assert "不能再更改所在地市" in response.content.decode()
    org.refresh_from_db()
    assert org.city_code == "340100"
    # A code that names its city cannot be moved at all.
    derived = Client()
    register(derived, uscc=HEFEI_USCC, username="derived_user", name="代码定市公司")
    assert "更改所在地市" not in derived.get(reverse("orgs:mine")).content.decode()
