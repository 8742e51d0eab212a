"""The audit administrator reads roles and outcomes in words (审计管理员, 失败), not the stored keys
(audit_admin, failure), on the search page and in the CSV / Excel export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from duixian.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users, time_machine):
    time_machine.move_to("2026-04-21 09:00:00+08:00", tick=False)
    audit_record("application.return", user=users["hefei_clerk"], object_type="applications.application", object_id=7)
    audit_record("login", username="nobody", outcome="failure")


def test_search_page_shows_role_and_outcome_words(client, users, trail):
    client.force_login(users["audit_admin"])
    body = client.get("/audit/", {"username": "hefei_clerk"}).content.decode()
    assert "<td>归口管理部门（市科技局）</td>" in body and "city_clerk" not in body
    body = client.get("/audit/", {"outcome": "failure"}).content.decode()
    assert "失败</span>" in body and ">failure<" not in body


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_shows_role_and_outcome_words(client, users, trail, fmt):
    client.force_login(users["audit_admin"])
    response = client.get("/audit/export/", {"format": fmt, "action": "application.return"})
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        table = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.values]
    header, row = table[0], table[1]
    assert row[header.index("角色")] == "归口管理部门（市科技局）"
    assert row[header.index("结果")] == "成功"
