"""政策找企业 (issue 19 item 1): an organisation's dashboard lists every clause of every open batch
as 可能符合 / 需补充信息 / 不符合 from its profile alone, with the deciding rules and their citations."""

from __future__ import annotations

import pytest

from duixian.applications.services import application_create, application_save_answers
from duixian.matching.match import NEEDS_INFO, NOT_ELIGIBLE, NOT_OPEN, POSSIBLE, match
from duixian.matching.profile import profile_facts
from duixian.orgs.models import OrgKind
from duixian.policy.active import open_batches
from tests.applications.conftest import at
from tests.conftest import make_org, make_user
from duixian.authz.roles import Role

pytestmark = pytest.mark.django_db


def standings(result) -> dict:
    return {c.clause: c.standing for c in result.clauses}


def test_a_complete_profile_makes_clauses_possible_and_lists_the_others(hefei_org, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    result = match(hefei_org, open_batches(at("2026-04-20 10:00:00")))

    # 第五条 is a park operator's: an enterprise never stated a park's prior support
    assert standings(result) == {"1": NOT_OPEN, "2": POSSIBLE, "3": NOT_OPEN, "4": POSSIBLE, "5": NEEDS_INFO}
    two = next(c for c in result.clauses if c.clause == "2")
    assert two.name == "第二条 促进垂类模型应用" and two.label == "可能符合"
    assert any(r.id == "c2.independent_legal_person" and r.citation.text for r in two.deciding)
    assert two.asked_later and not two.missing  # only the project is left, asked in the application
    three = next(c for c in result.clauses if c.clause == "3")
    assert "计量数据直接计算" in three.note


def test_a_university_is_not_eligible_for_clause_4_citing_the_notice(db, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    university = make_org("12340000485999538G", "安徽测试大学", "340100", kind=OrgKind.UNIVERSITY)
    four = next(c for c in match(university, open_batches(at("2026-04-20 10:00:00"))).clauses if c.clause == "4")

    assert four.standing == NOT_ELIGIBLE
    assert [r.id for r in four.deciding] == ["c4.enterprise_or_team"]
    assert four.deciding[0].citation.text


def test_a_profile_fact_never_given_asks_for_it(hefei_org, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    hefei_org.owns_ip = None
    hefei_org.save()
    two = next(c for c in match(hefei_org, open_batches(at("2026-04-20 10:00:00"))).clauses if c.clause == "2")

    assert two.standing == NEEDS_INFO
    assert [r.id for r in two.deciding] == ["c2.owns_ip"]
    assert len(two.missing) == 1 and "知识产权" in two.missing[0]


def test_facts_given_in_an_earlier_application_count_and_the_profile_wins(hefei_org, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    hefei_org.owns_ip = None
    hefei_org.save()
    app = application_create(user=users["hefei_applicant"], clause="2", project_name="早先的项目")
    application_save_answers(app, {"org.owns_ip": True, "org.credit_good": False}, user=users["hefei_applicant"])

    facts = profile_facts(hefei_org)
    assert facts["org.owns_ip"] is True  # from the application: the profile never said
    assert facts["org.credit_good"] is True  # the profile's, over the application's answer


def test_only_the_organisations_own_members_see_the_matches_on_the_dashboard(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    login(client, users["hefei_applicant"])
    page = client.get("/dashboard/").content.decode()
    assert 'id="matches"' in page and "第二条 促进垂类模型应用" in page and "可能符合" in page
    assert "已符合的条件" in page  # the rules that decide it, with their citations

    for role in ("hefei_clerk", "province"):
        login(client, users[role])
        assert 'id="matches"' not in client.get("/dashboard/").content.decode()


def test_no_form_is_needed_a_new_member_sees_matches_at_once(client, login, db, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    org = make_org("91340100MA2RXH7Q95", "新注册科技有限公司", "340100")
    member = make_user("newbie", Role.APPLICANT, organisation=org)
    login(client, member)
    page = client.get("/dashboard/").content.decode()
    assert 'id="match-anhui-agi-20-2026-2"' in page


def test_a_registry_row_about_the_organisation_decides_a_clause_and_is_named(users, hefei_org, time_machine):
    from tests.registries.conftest import HEFEI, import_rows

    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    import_rows("serious_dishonesty", [[HEFEI, "合肥测试科技有限公司", "2025", "信用中国"]], users["province"])
    two = next(c for c in match(hefei_org, open_batches(at("2026-04-20 10:00:00"))).clauses if c.clause == "2")

    assert two.standing == NOT_ELIGIBLE  # the profile says 信用良好; the 严重失信主体名单 says otherwise
    assert [r.id for r in two.deciding] == ["c2.credit_good"]
    assert "严重失信主体名单" in two.deciding[0].message


def test_the_logging_sms_gateway_writes_the_message_with_the_phone_masked(caplog, settings):
    from duixian.core.sms import send_sms

    settings.SMS_GATEWAY = "duixian.core.sms.LoggingGateway"
    with caplog.at_level("INFO", logger="duixian.sms"):
        assert send_sms("13155113928", "【政策兑现平台】新批次开放申报")
    assert "***3928" in caplog.text and "13155113928" not in caplog.text and "新批次开放申报" in caplog.text
