"""Codes and records as a person reads them (issue 20 item 5)."""

import datetime as dt

import pytest
from django.utils import timezone

from duixian.audit.services import audit_record
from duixian.orgs.templatetags.readable import city_name, detail_lines
from tests.applications.conftest import signin


def test_city_codes_are_names():
    assert city_name("340100") == "合肥市" and city_name("340200") == "芜湖市"
    assert city_name("") == "" and city_name("999999") == "999999"


def test_an_audit_detail_is_lines_with_roles_cities_times_and_yes_no_readable():
    lines = detail_lines({"role": "city_clerk", "city_code": "340100", "at": "2026-04-20T10:06:31+08:00",
                          "declaration": True, "items": ["a", "b"], "reason": ""})
    assert lines == ["role: 归口管理部门（市科技局）", "city_code: 合肥市", "at: 2026年4月20日 10:06", "declaration: 是",
                     "items: a、b", "reason: —"]
    assert detail_lines({}) == [] and detail_lines(None) == []


@pytest.mark.django_db
def test_the_audit_page_shows_readable_lines_not_a_python_dict(client, users, time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime(2026, 4, 20, 10, 6)), tick=False)
    audit_record("accounts.role_grant", user=users["security_admin"], detail={"role": "city_clerk", "city_code": "340100"})
    signin(client, users["audit_admin"])
    page = client.get("/audit/?action=accounts.role_grant").content.decode()
    assert "role: 归口管理部门（市科技局）<br>city_code: 合肥市" in page
    assert "{&#x27;role&#x27;" not in page and "2026年4月20日 10:06:00" in page
