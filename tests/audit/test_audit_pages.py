"""The audit administrator searches and exports the trail; the export itself is audited."""

import csv
import io

import pytest
from openpyxl import load_workbook

from duixian.audit.models import AuditEvent
from duixian.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(users, time_machine):
    time_machine.move_to("2026-04-20 10:00:00+08:00", tick=False)
    audit_record("application.submit", user=users["hefei_applicant"], object_type="applications.application", object_id=7)
    time_machine.move_to("2026-04-21 09:00:00+08:00", tick=False)
    audit_record("application.return", user=users["hefei_clerk"], object_type="applications.application", object_id=7)
    audit_record("login", username="=HYPERLINK(\"http://x\")", outcome="failure")
    time_machine.move_to("2026-04-22 23:59:59+08:00", tick=False)
    audit_record("application.recommend", user=users["hefei_clerk"], object_type="applications.application", object_id=8)
    time_machine.move_to("2026-04-23 08:00:00+08:00", tick=False)


def rows_of(client, query):
    body = client.get("/audit/", query).content.decode()
    return body


def test_search_by_user_action_object_outcome_and_date(client, users, trail):
    client.force_login(users["audit_admin"])
    body = client.get("/audit/", {"username": "hefei_clerk"}).content.decode()
    assert "application.return" in body and "application.recommend" in body and "application.submit" not in body
    body = client.get("/audit/", {"action": "application.", "object_id": "7"}).content.decode()
    assert "application.submit" in body and "application.return" in body and "application.recommend" not in body
    body = client.get("/audit/", {"outcome": "failure"}).content.decode()
    assert "HYPERLINK" in body and "application.submit" not in body
    # Dates are whole days in Beijing time: 23:59:59 on the 22nd is inside "to 2026-04-22".
    body = client.get("/audit/", {"date_from": "2026-04-22", "date_to": "2026-04-22"}).content.decode()
    assert "application.recommend" in body and "application.return" not in body
    body = client.get("/audit/", {"date_from": "2026-04-23", "date_to": "2026-04-22"}).content.decode()
    assert "截止日期不能早于起始日期" in body


def test_csv_export_is_audited_and_defuses_formulas(client, users, trail):
    client.force_login(users["audit_admin"])
    response = client.get("/audit/export/", {"format": "csv", "action": "login"})
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["序号", "时间（北京时间）", "用户"]
    usernames = [row[2] for row in table[1:]]
    assert "'=HYPERLINK(\"http://x\")" in usernames
    export = AuditEvent.objects.filter(action="audit.export").get()
    assert export.username == "auditadmin" and export.detail["format"] == "csv" and export.detail["filters"] == {"action": "login"}


def test_xlsx_export_opens_in_a_spreadsheet(client, users, trail):
    client.force_login(users["audit_admin"])
    response = client.get("/audit/export/", {"format": "xlsx", "username": "hefei_clerk"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][7] == "操作"
    assert sorted(row[7] for row in values[1:]) == ["application.recommend", "application.return"]
    assert values[1][1] == "2026-04-22 23:59:59"
    assert AuditEvent.objects.filter(action="audit.export", detail__format="xlsx").exists()


def test_verify_page_reports_tampering(client, users, trail):
    from duixian.audit.services import audit_seal
    from tests.audit.test_chain import as_database_superuser

    audit_seal()  # the trail's rows were sealed when their transactions committed
    as_database_superuser()
    AuditEvent.objects.filter(action="application.return").update(outcome="failure")
    client.force_login(users["audit_admin"])
    body = client.post("/audit/verify/").content.decode()
    assert "被篡改" in body
