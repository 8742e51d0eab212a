"""The province's decision lists: free-text search, a city filter and pages (issue 20 item 5)."""

import pytest

from duixian.core import listing
from duixian.decisions.services import decision_approve
from tests.applications.conftest import signin

pytestmark = pytest.mark.django_db


def pending_and_decided(page: str) -> tuple[str, str]:
    head, _, decided = page.partition('id="decided-table"')
    return head, decided


def test_search_and_city_filter_on_both_lists(client, users, recommended):
    hospital, factory, port = recommended
    decision_approve(factory, amount="20", user=users["province"], without_panel_reason="专家组线下评审")
    signin(client, users["province"])
    pending, decided = pending_and_decided(client.get("/decisions/applications/?q=港口").content.decode())
    assert port.reference in pending and hospital.reference not in pending
    assert factory.reference not in decided
    pending, decided = pending_and_decided(client.get("/decisions/applications/?q=质检").content.decode())
    assert factory.reference in decided and hospital.reference not in pending
    pending, _ = pending_and_decided(client.get("/decisions/applications/?city=340200").content.decode())
    assert port.reference in pending and hospital.reference not in pending
    assert "共 1 项" in pending
    page = client.get("/decisions/applications/?city=340200").content.decode()
    assert '<option value="340200" selected>芜湖市</option>' in page  # cities by name, not code


def test_pages_of_the_waiting_list_keep_the_filters(client, users, recommended, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 1)
    signin(client, users["province"])
    first = client.get("/decisions/applications/?city=340100").content.decode()
    assert "第 1 / 2 页" in first and 'href="?city=340100&amp;page=2"' in first
    second = client.get("/decisions/applications/?city=340100&page=2").content.decode()
    assert "第 2 / 2 页" in second and recommended[2].reference not in second
