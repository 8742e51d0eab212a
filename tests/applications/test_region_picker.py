"""Clause 四's 签约地市或县区: a picker of Anhui's cities and counties, grouped by city, the
division code as value, checked by the server; also in the 政策自测 form."""

import pytest

from duixian.applications.services import application_create

from .conftest import at, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def clause4(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    return application_create(user=users["hefei_applicant"], clause="4", project_name="大赛成果转化项目")


def url(app):
    return f"/applications/{app.pk}/section/conversion/"


def test_the_region_is_chosen_from_anhuis_cities_and_counties_grouped_by_city(client, clause4):
    page = client.get(url(clause4)).content.decode()
    assert '<select name="conversion__agreement_region_code"' in page
    assert page.count("<optgroup") == 17  # 16 cities and 其他 (安徽省外)
    assert '<optgroup label="合肥市">' in page and '<optgroup label="宣城市">' in page
    assert '<option value="340104">蜀山区 340104</option>' in page
    assert '<option value="341800">宣城市（市本级）341800</option>' in page
    assert '<option value="341622">蒙城县 341622</option>' in page
    assert '<option value="outside">安徽省外的地市或县区</option>' in page
    for absent in ('value="340000"', 'value="340101"', 'value="340203"', "市辖区"):
        assert absent not in page, absent  # not the province, no 市辖区 placeholder, no abolished code


def test_a_chosen_county_is_saved_as_its_code_and_shown_by_name(client, clause4):
    response = client.post(url(clause4), {"conversion__in_anhui": "true", "conversion__agreement_region_code": "341622"})
    assert response.status_code in (200, 302)
    clause4.refresh_from_db()
    assert clause4.facts["conversion"]["agreement_region_code"] == "341622"
    check = client.get(f"/applications/{clause4.pk}/check/").content.decode()
    assert "亳州市 蒙城县（341622）" in check


@pytest.mark.parametrize("typed", ["320100", "340000", "340203", "34010", "蜀山区"])
def test_the_server_refuses_a_code_not_in_the_list(client, clause4, typed):
    response = client.post(url(clause4), {"conversion__in_anhui": "true", "conversion__agreement_region_code": typed})
    page = response.content.decode()
    assert "请从列表中选择签署投资协议的地市或县区。" in page
    clause4.refresh_from_db()
    assert "agreement_region_code" not in (clause4.facts.get("conversion") or {})


def test_outside_anhui_is_an_answer_that_fails_the_rule(client, clause4):
    from duixian.applications.selectors import application_verdict

    client.post(url(clause4), {"conversion__in_anhui": "true", "conversion__agreement_region_code": "outside"})
    clause4.refresh_from_db()
    assert application_verdict(clause4).rule("c4.agreement_region_in_anhui").outcome == "fail"
    client.post(url(clause4), {"conversion__in_anhui": "true", "conversion__agreement_region_code": "341800"})
    clause4.refresh_from_db()
    assert application_verdict(clause4).rule("c4.agreement_region_in_anhui").outcome == "pass"


def test_the_self_check_offers_the_same_picker():
    from duixian.policy.forms import SelfCheckForm
    from duixian.policy.pack import default_pack

    facts = default_pack().facts
    form = SelfCheckForm(facts, ["conversion.agreement_region_code"], data={"conversion__agreement_region_code": "340104"})
    assert form.is_valid() and form.facts(None) == {"conversion": {"agreement_region_code": "340104"}}
    assert not SelfCheckForm(facts, ["conversion.agreement_region_code"],
                             data={"conversion__agreement_region_code": "320100"}).is_valid()
    html = str(SelfCheckForm(facts, ["conversion.agreement_region_code"])["conversion__agreement_region_code"])
    assert '<optgroup label="合肥市">' in html and '<option value="" selected>暂不确定</option>' in html
