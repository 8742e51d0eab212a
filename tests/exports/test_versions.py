"""Each 汇总表 / 推荐函 a clerk downloads is an archived, numbered version (issue 15, item 1)."""

import hashlib
import io

import pytest
from docx import Document

from duixian.applications.models import Application
from duixian.applications.workflow import application_transition
from duixian.audit.models import AuditEvent
from duixian.exports.models import ExportVersion

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def test_same_content_same_version_new_recommendation_new_version(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-04-29 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    first = client.get("/exports/city/340100/summary.xlsx")
    assert "%E7%AC%AC1%E7%89%88" in first["Content-Disposition"]  # 第1版 in the file name
    time_machine.move_to(at("2026-04-29 15:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    again = client.get("/exports/city/340100/summary.xlsx")
    assert again.content == first.content
    assert ExportVersion.objects.filter(city_code="340100", kind="summary_xlsx").count() == 1
    v1 = ExportVersion.objects.get(city_code="340100", kind="summary_xlsx")
    assert v1.number == 1 and v1.sha256 == hashlib.sha256(first.content).hexdigest()
    assert v1.created_by == users["hefei_clerk"] and len(v1.rows) == 2

    third = Application.objects.get(project_name="政务热线智能问答大模型应用")  # submitted, not yet recommended
    application_transition(third, "recommend", users["hefei_clerk"])
    signin(client, users["hefei_clerk"])
    newer = client.get("/exports/city/340100/summary.xlsx")
    assert newer.content != first.content
    v2 = ExportVersion.objects.get(city_code="340100", kind="summary_xlsx", number=2)
    assert v2.changes["added"] == ["政务热线智能问答大模型应用"] and "removed" not in v2.changes

    page = client.get("/exports/city/340100/versions/").content.decode()
    assert "第1版" in page and "第2版" in page and "新增：政务热线智能问答大模型应用" in page
    assert v1.sha256[:16] in page
    worklist = client.get("/review/").content.decode()
    assert f"/exports/city/340100/versions/{v1.pk}/" in worklist
    # Version 1 again, byte for byte.
    old = client.get(f"/exports/city/340100/versions/{v1.pk}/")
    assert old.status_code == 200 and old.content == first.content
    assert AuditEvent.objects.filter(action="export.version_create").count() == 2
    assert AuditEvent.objects.filter(action="export.version_download", object_id=str(v1.pk)).count() == 1
    downloads = AuditEvent.objects.filter(action="export.summary_xlsx").order_by("pk")
    assert [e.detail["version"] for e in downloads] == [1, 1, 2]


def test_another_city_cannot_fetch_this_citys_versions(client, users, recommended):
    signin(client, users["hefei_clerk"])
    client.get("/exports/city/340100/summary.docx")
    version = ExportVersion.objects.get(city_code="340100")
    signin(client, users["wuhu_clerk"])
    assert client.get(f"/exports/city/340100/versions/{version.pk}/").status_code == 404
    assert client.get(f"/exports/city/340200/versions/{version.pk}/").status_code == 404
    assert client.get("/exports/city/340100/versions/").status_code == 404
    signin(client, users["hefei_applicant"])
    assert client.get(f"/exports/city/340100/versions/{version.pk}/").status_code == 404
    signin(client, users["province"])
    assert client.get(f"/exports/city/340100/versions/{version.pk}/").content == bytes(version.content)


def test_letter_keeps_its_date_until_something_changes(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    first = client.get("/exports/city/340100/letter.docx").content
    time_machine.move_to(at("2026-05-07 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    assert client.get("/exports/city/340100/letter.docx").content == first  # the letter as stamped on 5-6
    third = Application.objects.get(project_name="政务热线智能问答大模型应用")  # submitted, not yet recommended
    application_transition(third, "recommend", users["hefei_clerk"])
    signin(client, users["hefei_clerk"])
    newer = client.get("/exports/city/340100/letter.docx").content
    text = "".join(p.text for p in Document(io.BytesIO(newer)).paragraphs)
    assert "现推荐3个项目" in text and "2026年5月7日" in text
    v2 = ExportVersion.objects.get(city_code="340100", kind="letter_docx", number=2)
    assert v2.changes["added"] == ["政务热线智能问答大模型应用"]
    assert v2.changes["issued_on"] == {"from": "2026-05-06", "to": "2026-05-07"}


def test_province_downloads_are_not_archived_as_the_citys_versions(client, users, recommended):
    signin(client, users["province"])
    assert client.get("/exports/city/340100/summary.xlsx").status_code == 200
    assert not ExportVersion.objects.exists()
