"""Issue 15 item 8: control characters are refused at input and never break a file on output;
codes in URLs that name nothing are 404, never a 500 or an empty file."""

import io

import pytest
from django import forms
from django.urls import get_resolver
from docx import Document
from openpyxl import load_workbook

from duixian.applications.models import Application
from duixian.core.text import no_control_characters, xml_safe
from tests.exports.conftest import recommended  # noqa: F401
from tests.review.conftest import at, signin

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_project_name_with_a_control_character_is_refused_in_chinese(client, users, time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    signin(client, users["hefei_applicant"])
    response = client.post("/applications/new/", {"choice": "2", "project_name": "影像\x0b诊断\x01系统"})
    assert response.status_code == 200
    assert "不可见的控制字符" in response.content.decode()
    assert not Application.objects.exists()
    # ordinary text is untouched
    response = client.post("/applications/new/", {"choice": "2", "project_name": "影像诊断系统"})
    assert response.status_code == 302 and Application.objects.get().project_name == "影像诊断系统"


def test_every_text_field_of_every_form_refuses_control_characters():
    get_resolver().url_patterns  # import every view, hence every form module

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked, missing = 0, []
    for form in set(subclasses(forms.BaseForm)):
        if not form.__module__.startswith("duixian."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.CharField) and not isinstance(field, (forms.EmailField, forms.URLField)):
                checked += 1
                if no_control_characters not in field.validators:
                    missing.append(f"{form.__module__}.{form.__name__}.{name}")
    assert checked > 50 and missing == []


def test_stored_control_characters_still_export(client, users, recommended, time_machine):  # noqa: F811
    """Rows stored before the input rule (or by another path) hold \\x01 and \\x0b: the city's
    汇总表 (docx and xlsx), 推荐函 and the application's summary docx still download and read clean."""
    first, _second = recommended
    Application.objects.filter(pk=first.pk).update(project_name="医院影像\x01辅助诊断\x0b大模型应用")
    first.organisation.__class__.objects.filter(pk=first.organisation_id).update(name="合肥测试\x0c科技有限公司")
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    docx = client.get("/exports/city/340100/summary.docx")
    assert docx.status_code == 200
    assert "医院影像辅助诊断大模型应用" in _docx_text(docx.content)
    letter = client.get("/exports/city/340100/letter.docx")
    assert letter.status_code == 200 and "现推荐2个项目" in _docx_text(letter.content)
    xlsx = client.get("/exports/city/340100/summary.xlsx")
    assert xlsx.status_code == 200
    load_workbook(io.BytesIO(xlsx.content))
    signin(client, users["hefei_applicant"])
    summary = client.get(f"/applications/{first.pk}/summary.docx")
    assert summary.status_code == 200
    text = _docx_text(summary.content)
    assert "医院影像辅助诊断大模型应用" in text and "合肥测试科技有限公司" in text


@pytest.mark.parametrize("path", [
    "/exports/city/%00/letter.docx", "/exports/city/%00/summary.xlsx", "/exports/city/%01%0B/summary.docx",
    "/exports/city/" + "3" * 300 + "/letter.docx", "/exports/city/999999/summary.xlsx",
    "/exports/city/340000/letter.docx",  # the province's own code is not a city
    "/exports/city/341400/summary.xlsx",  # 巢湖, abolished in 2011
    "/exports/city/999999/materials.zip", "/exports/city/999999/versions/",
    "/decisions/receipts/999999/",
])
def test_export_urls_for_a_code_that_names_no_city_are_404(client, users, path):
    signin(client, users["province"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/applications/9223372036854775808/confirmation/poll/", "/applications/9223372036854775807/confirmation/poll/",
    "/applications/99999999999999999999999999/status/", "/review/9223372036854775808/",
])
def test_keys_beyond_64_bits_are_404(client, users, path):
    signin(client, users["hefei_applicant"] if path.startswith("/applications") else users["hefei_clerk"])
    assert client.get(path).status_code == 404


def test_xml_safe_cleans_nested_data_and_keeps_ordinary_text():
    assert xml_safe({"a": ["x\x00y", ("\x0b", 3)], "b": "行一\n行二\t完"}) == {"a": ["xy", ("", 3)], "b": "行一\n行二\t完"}


@pytest.mark.parametrize("method,path,data", [
    ("get", "/accounts/manage/users/?q=%00", None),
    ("get", "/decisions/applications/?clause=%00", None),
    ("post", "/accounts/login/", {"username": "\x00admin", "password": "x"}),
    ("post", "/applications/1/submit/", {"token": "\x00", "declaration": "on"}),
])
def test_a_nul_anywhere_is_refused_before_it_reaches_the_database(client, users, method, path, data):
    """PostgreSQL cannot hold NUL in a string: a raw parameter passed to a lookup was a 500 there."""
    if not path.startswith("/accounts/login"):
        signin(client, users["system_admin"] if "manage" in path else users["province"])
    response = client.get(path) if method == "get" else client.post(path, data)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
