"""The organisation's stated facts: kept once, every change with who and when, and the rules' view."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from duixian.audit.models import AuditEvent
from duixian.orgs import services
from duixian.orgs.models import FactChange, OrgKind, OrgStatus, Organisation
from duixian.orgs.selectors import organisation_facts
from tests.orgs.test_registration import BEIJING_USCC, CENTRAL_USCC, _fast_hashing, register  # noqa: F401


@pytest.fixture
def manager(db):
    client = Client()
    register(client)
    return client


def profile_data(**overrides):
    data = {"kind": "enterprise", "independent_legal_person": "true", "agi_enterprise": "true", "owns_ip": "true",
            "credit_good": "true",
            "major_violation": "false", "prior_support": ["future_industry_benchmark"],
            "address": "合肥市蜀山区望江西路 800 号", "legal_representative": "周立", "contact_phone": "0551-62999803"}
    data.update(overrides)
    return data


def test_facts_start_unknown_and_are_left_out_for_the_rules(manager):
    # Registration asks what the compute subsidy reads (legal person, AGI enterprise); the rest
    # starts unknown and is left out for the rules.
    org = Organisation.objects.get()
    facts = organisation_facts(org)
    assert facts == {"org": {"kind": "enterprise", "uscc": org.uscc, "registered_in_anhui": True,
                             "independent_legal_person": True, "agi_enterprise": True}}


def test_stating_facts_records_who_and_when(manager, time_machine):
    time_machine.move_to("2026-04-20T10:00:00+08:00", tick=False)
    response = manager.post(reverse("orgs:profile"), profile_data())
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert organisation_facts(org)["org"] == {
        "kind": "enterprise", "uscc": org.uscc, "independent_legal_person": True, "owns_ip": True,
        "credit_good": True, "major_violation": False, "agi_enterprise": True, "registered_in_anhui": True,
    }
    changes = {c.fact: c for c in FactChange.objects.all()}
    assert set(changes) == {"independent_legal_person", "agi_enterprise", "owns_ip", "credit_good",
                            "major_violation", "prior_support"}
    assert changes["owns_ip"].stated_by.username == "xinrui_jbr"
    assert changes["owns_ip"].stated_at.isoformat() == "2026-04-20T02:00:00+00:00"
    assert changes["owns_ip"].old_value is None and changes["owns_ip"].new_value is True
    assert AuditEvent.objects.filter(action="org.profile.update").count() == 1
    page = manager.get(reverse("orgs:profile")).content.decode()
    assert "修改记录" in page and "2026年4月20日 10:00" in page and "省未来产业标杆应用场景支持" in page


def test_only_changed_facts_get_a_new_history_row(manager):
    manager.post(reverse("orgs:profile"), profile_data())
    before = FactChange.objects.count()
    manager.post(reverse("orgs:profile"), profile_data(major_violation="true"))
    new = FactChange.objects.exclude(pk__in=FactChange.objects.order_by("pk")[:before].values("pk"))
    assert [(c.fact, c.old_value, c.new_value) for c in new] == [("major_violation", False, True)]


def test_a_bad_phone_in_the_profile_is_shown_beside_it(manager):
    before = FactChange.objects.count()  # what registration stated
    response = manager.post(reverse("orgs:profile"), profile_data(contact_phone="12345"))
    assert response.status_code == 400 and 'href="#id_contact_phone"' in response.content.decode()
    assert FactChange.objects.count() == before


def test_unknown_prior_support_is_refused_by_the_service(manager):
    org = Organisation.objects.get()
    with pytest.raises(services.OrgError):
        services.organisation_profile_update(org, {"prior_support": ["free_money"]}, user=None)


def test_park_operators_also_get_operator_prior_support(db):
    org = Organisation.objects.create(name="园区", kind=OrgKind.PARK_OPERATOR, uscc=None, city_code="340100",
                                      in_anhui=True, prior_support=["pilot_base", "future_industry_benchmark"])
    assert organisation_facts(org)["operator"] == {"prior_support": ["pilot_base"]}


def test_registration_in_anhui_follows_the_code_and_the_clerks_confirmation(db):
    central = Organisation.objects.create(name="国家某大学", kind=OrgKind.UNIVERSITY, uscc=CENTRAL_USCC,
                                          region_code="100000", in_anhui=None, city_code="340100")
    assert "registered_in_anhui" not in organisation_facts(central)["org"]
    central.status = OrgStatus.CONFIRMED
    assert organisation_facts(central)["org"]["registered_in_anhui"] is True
    outside = Organisation.objects.create(name="北京某公司", kind=OrgKind.ENTERPRISE, uscc=BEIJING_USCC,
                                          in_anhui=False)
    assert organisation_facts(outside)["org"]["registered_in_anhui"] is False
    team = Organisation.objects.create(name="团队", kind=OrgKind.TEAM, uscc=None, city_code="340300")
    assert "uscc" not in organisation_facts(team)["org"]


def test_the_rules_engine_accepts_the_facts(manager):
    from duixian.policy.facts import parse_facts
    from duixian.policy.pack import default_pack

    manager.post(reverse("orgs:profile"), profile_data())
    parsed = parse_facts(organisation_facts(Organisation.objects.get()), default_pack().facts)
    assert parsed["org.owns_ip"] is True and parsed["org.in_anhui"] is True
