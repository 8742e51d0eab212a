"""推荐函 (city, counts by clause, total, date, addressee, seal) and the materials zip."""

import io
import zipfile

import pytest
from docx import Document

from duixian.audit.models import AuditEvent

from .conftest import at, signin

pytestmark = pytest.mark.django_db


def test_recommendation_letter(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    response = client.get("/exports/city/340100/letter.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "省科技厅：" in text
    assert "现推荐2个项目申报政策兑现，拟申请兑现金额合计124.00万元" in text
    assert "“2.促进垂类模型应用”2个项目，拟申请兑现金额124.00万元" in text
    assert "一式两份" in text
    assert "合肥市科技局（盖章）" in text and "2026年5月6日" in text
    event = AuditEvent.objects.get(action="export.recommendation_letter")
    assert event.detail["rows"] == 2 and event.username == "hefei_clerk"


def test_letter_with_nothing_recommended(client, users, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["wuhu_clerk"])
    text = "\n".join(p.text for p in Document(io.BytesIO(client.get("/exports/city/340200/letter.docx").content)).paragraphs)
    assert "现推荐0个项目" in text and "本市本批次无推荐项目" in text


def test_materials_zip_one_folder_per_application(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    response = client.get("/exports/city/340100/materials.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folders = sorted({name.split("/")[0] for name in archive.namelist()})
    first, second = recommended
    assert folders == [f"01-{first.reference}-医院影像辅助诊断大模型应用", f"02-{second.reference}-智能制造质检视觉大模型应用"]
    per_folder = [n for n in archive.namelist() if n.startswith(folders[0] + "/")]
    assert len(per_folder) == first.materials.count()
    assert archive.read(per_folder[0]).startswith(b"%PDF")
    assert "政务热线" not in " ".join(archive.namelist())  # not recommended, not delivered
    event = AuditEvent.objects.get(action="export.materials_zip")
    assert event.detail["applications"] == 2 and event.detail["files"] == len(archive.namelist())


def test_work_list_tells_the_clerk_what_to_deliver(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get("/review/").content.decode()
    for text in ("报送要求", "2026年5月7日 17:00", "一式两份", "省政务中心省科技厅窗口", "合肥市马鞍山路509号",
                 "0551-62999803", "推荐函", "项目申报汇总表（附件2）", "兑现材料（加盖公章）"):
        assert text in page, text
    assert 'id="recommended-count">2<' in page and 'id="recommended-total">124.00<' in page
    assert "/exports/city/340100/summary.xlsx" in page and "/exports/city/340100/letter.docx" in page


def test_clerk_sets_the_contact_line(client, users, recommended, time_machine):
    time_machine.move_to(at("2026-05-06 09:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    assert client.post("/review/contact/", {"contact_name": "周经办", "contact_phone": "0551-63538227"}).status_code == 302
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(client.get("/exports/city/340100/summary.xlsx").content)).active
    assert ws["A3"].value == "联系人及联系方式：周经办 0551-63538227"
