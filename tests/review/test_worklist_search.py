"""The clerk's work list: free-text search and pages (issue 20 item 5)."""

import pytest

from duixian.core import listing

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(users, time_machine):
    apps = [make_submitted(users["hefei_applicant"], name, when=f"2026-04-21 09:0{i}:00", time_machine=time_machine,
                           contact_name=contact)
            for i, (name, contact) in enumerate([("医院影像辅助诊断大模型应用", "张晓明"), ("智慧工厂质检大模型应用", "李娜"),
                                                 ("港口调度大模型应用", "欧阳晓娜")])]
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin_as = users["hefei_clerk"]
    return apps, signin_as


def listed(client, query: str) -> str:
    return client.get("/review/" + query).content.decode()


def test_search_by_project_contact_reference_or_organisation(client, three):
    (hospital, factory, port), clerk = three
    signin(client, clerk)
    page = listed(client, "?q=质检")
    assert factory.reference in page and hospital.reference not in page and port.reference not in page
    assert "共 1 项" in page
    page = listed(client, "?q=欧阳")  # the contact person
    assert port.reference in page and factory.reference not in page
    page = listed(client, f"?q={hospital.reference.lower()}")  # the number, in any case
    assert hospital.reference in page and factory.reference not in page
    assert "共 3 项" in listed(client, "?q=合肥测试科技")  # the organisation: all three
    page = listed(client, "?q=大模型+港口")  # every word must match
    assert port.reference in page and "共 1 项" in page
    assert "没有符合条件的申报" in listed(client, "?q=不存在的项目")
    assert 'value="质检"' in listed(client, "?q=质检")  # the box keeps what was typed


def test_a_long_list_comes_in_pages_that_keep_the_search(client, three, monkeypatch):
    (hospital, factory, port), clerk = three
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    signin(client, clerk)
    first = listed(client, "?q=大模型")
    assert hospital.reference in first and factory.reference in first and port.reference not in first
    assert "第 1 / 2 页" in first and 'href="?q=%E5%A4%A7%E6%A8%A1%E5%9E%8B&amp;page=2"' in first
    second = listed(client, "?q=大模型&page=2")
    assert port.reference in second and hospital.reference not in second and "第 2 / 2 页" in second
    assert port.reference in listed(client, "?q=大模型&page=99")  # past the end: the last page
