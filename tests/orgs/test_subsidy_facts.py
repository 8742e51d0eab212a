"""Registration and the profile ask what 免申即享 (三（二）) reads; the compute result links each
reason the organisation can fix to the field; changes after the city confirmed are recorded,
audited and shown to the clerk."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from duixian.applications.models import Notification
from duixian.audit.models import AuditEvent
from duixian.compute.selectors import subsidy_orgs_from_database
from duixian.core.clock import SHANGHAI
from duixian.orgs.models import FactChange, Organisation
from duixian.codes.uscc import make_uscc
from tests.orgs.test_registration import HEFEI_USCC, form_data

pytestmark = pytest.mark.django_db

OTHER = make_uscc("91340104MA2TE4560")


def test_registration_asks_the_facts_the_compute_subsidy_reads(client):
    page = client.get(reverse("orgs:register")).content.decode()
    for words in ("是否具有独立法人资格", "是否属于通用人工智能企业", "关联企业"):
        assert words in page, words
    response = client.post(reverse("orgs:register"), form_data(
        independent_legal_person="true", agi_enterprise="true", affiliates=f"{OTHER}\n{OTHER.lower()}"))
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert (org.independent_legal_person, org.agi_enterprise, org.affiliates) == (True, True, [OTHER])
    stated = {c.fact: c.new_value for c in FactChange.objects.filter(organisation=org)}
    assert stated == {"independent_legal_person": True, "agi_enterprise": True, "affiliates": [OTHER]}


@pytest.mark.parametrize("overrides, message", [
    ({"agi_enterprise": "true"}, "请选择本单位是否具有独立法人资格。"),
    ({"independent_legal_person": "true"}, "企业请选择是否属于通用人工智能企业。"),
    ({"independent_legal_person": "true", "agi_enterprise": "false", "affiliates": "91340104MA2TE45601"},
     "不是有效的统一社会信用代码"),
    ({"independent_legal_person": "true", "agi_enterprise": "false", "affiliates": HEFEI_USCC}, "是本单位自己的代码"),
])
def test_registration_refuses_missing_or_wrong_facts_with_a_message(client, overrides, message):
    blank = {"independent_legal_person": None, "agi_enterprise": None}
    response = client.post(reverse("orgs:register"), form_data(**{**blank, **overrides}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_university_is_not_asked_whether_it_is_an_agi_enterprise(client):
    client.post(reverse("orgs:register"), form_data(kind="university", independent_legal_person="true",
                                                    agi_enterprise="true"))
    org = Organisation.objects.get()
    assert org.kind == "university" and org.independent_legal_person is True and org.agi_enterprise is None


def test_the_compute_result_links_each_reason_to_the_field_that_fixes_it(client, login, users, hefei_org):
    from tests.compute.test_pages import SAMPLE, _publish
    from duixian.compute.services import metering_import, subsidy_run

    Organisation.objects.filter(pk=hefei_org.pk).update(independent_legal_person=None, agi_enterprise=None)
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        metering_import(SAMPLE, original_name=SAMPLE.name)
        run = subsidy_run(user=users["province"])
        _publish(login(client.__class__(), users["province"]), run, last_day=date(2026, 5, 20))
        page = login(client, users["hefei_applicant"]).get(reverse("compute:mine")).content.decode()
    assert "未确认具有独立法人资格" in page and "如何更正" in page
    assert 'href="/orgs/mine/profile/#field-independent_legal_person"' in page
    assert 'href="/orgs/mine/profile/#field-agi_enterprise"' in page
    profile = login(client.__class__(), users["hefei_applicant"]).get(reverse("orgs:profile")).content.decode()
    assert 'id="field-independent_legal_person"' in profile and 'id="field-agi_enterprise"' in profile
    assert 'id="field-kind"' in profile and 'id="field-affiliates"' in profile


def _profile(org, **changes):
    data = {"kind": org.kind, "independent_legal_person": "true", "agi_enterprise": "true", "affiliates": "",
            "owns_ip": "true", "credit_good": "true", "major_violation": "false", "address": "合肥市",
            "legal_representative": "周立", "contact_phone": "0551-62999803"}
    data.update(changes)
    return data


def test_a_change_after_confirmation_is_recorded_audited_and_shown_to_the_clerk(client, login, users, hefei_org):
    applicant = login(client, users["hefei_applicant"])
    response = applicant.post(reverse("orgs:profile"), _profile(hefei_org, independent_legal_person="false",
                                                                kind="research_institute"))
    assert response.status_code == 302
    hefei_org.refresh_from_db()
    assert hefei_org.independent_legal_person is False and hefei_org.kind == "research_institute"
    assert hefei_org.agi_enterprise is None  # asked of enterprises only
    assert FactChange.objects.filter(organisation=hefei_org, fact="independent_legal_person",
                                     old_value=True, new_value=False).exists()
    event = AuditEvent.objects.filter(action="org.profile.update", object_id=str(hefei_org.pk)).latest("pk")
    assert event.detail["after_confirmation"] is True
    note = Notification.objects.get(user=users["hefei_clerk"], event="org.facts_changed")
    assert "具有独立法人资格" in note.body and "单位类型" in note.body
    assert note.link == reverse("orgs:review", args=[hefei_org.pk])
    assert not Notification.objects.filter(user=users["wuhu_clerk"], event="org.facts_changed").exists()
    clerk = login(client.__class__(), users["hefei_clerk"])
    page = clerk.get(reverse("orgs:review", args=[hefei_org.pk])).content.decode()
    assert "确认后的信息变更" in page and "科研院所" in page and "企业" in page


def test_a_team_cannot_change_its_kind_and_a_bad_affiliate_is_refused(client, login, users, hefei_org):
    applicant = login(client, users["hefei_applicant"])
    page = applicant.post(reverse("orgs:profile"), _profile(hefei_org, affiliates="not-a-code")).content.decode()
    assert "不是有效的统一社会信用代码" in page
    Organisation.objects.filter(pk=hefei_org.pk).update(kind="team")
    page = applicant.get(reverse("orgs:profile")).content.decode()
    assert 'id="field-kind"' not in page


def test_declared_affiliates_put_both_organisations_in_one_compute_group(users, hefei_org, wuhu_org):
    orgs = subsidy_orgs_from_database()
    assert orgs[hefei_org.uscc].group != orgs[wuhu_org.uscc].group
    Organisation.objects.filter(pk=hefei_org.pk).update(affiliates=[wuhu_org.uscc, OTHER])  # OTHER is not registered
    orgs = subsidy_orgs_from_database()
    assert orgs[hefei_org.uscc].group == orgs[wuhu_org.uscc].group
    assert orgs[hefei_org.uscc].group_id.startswith("affiliates:")
