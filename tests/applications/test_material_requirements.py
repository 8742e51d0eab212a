"""Materials: only what the province confirmed blocks; every file is shown under its requirement;
DOCX materials can be read in the browser as escaped text, by those who may open the application."""

import io

import pytest

from duixian.applications.materials import material_store
from duixian.applications.services import application_submit
from duixian.applications.workflow import TransitionError
from duixian.audit.models import AuditEvent

from .conftest import at, signin, upload

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def real_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("场景开发投入说明", level=1)
    doc.add_paragraph("本项目场景开发投入 120 万元。<script>alert('x')</script>")
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "合同编号", "HT-2025-018"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_an_empty_unconfirmed_slot_does_not_block_submission(complete_draft, users, time_machine, client):
    complete_draft.materials.filter(slot="ip_proof").delete()
    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert "自主知识产权证明（待省科技厅确认）" in page and "不影响提交" in page
    assert "尚未完成" not in page
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    assert app.state == "submitted"


def test_an_empty_required_confirmed_slot_blocks_with_a_message(complete_draft, users, time_machine, client):
    complete_draft.materials.filter(slot="application_form").delete()
    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert "尚未完成" in page and "申报材料：兑现申报书" in page
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    with pytest.raises(TransitionError, match="申报材料：兑现申报书（“安徽科技大脑”平台下载填报）"):
        application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    complete_draft.refresh_from_db()
    assert complete_draft.state == "draft"


def test_the_materials_page_labels_slots_and_says_the_paper_copies_are_the_citys(complete_draft, users, client):
    signin(client, users["hefei_applicant"])
    page = client.get(f"/applications/{complete_draft.pk}/materials/").content.decode()
    assert page.count("待省科技厅确认") >= 8
    assert "一式两份（经市科技局报送）" not in page  # no longer an upload slot
    assert "纸质材料由市科技局报送，无需在此上传" in page
    assert "兑现材料（加盖公章）一式两份由各市科技局（归口管理部门）送至省政务中心省科技厅窗口" in page
    assert "2026年5月7日 17:00前" in page


def test_the_clerk_sees_each_file_under_its_requirement_and_reads_a_docx(complete_draft, users, time_machine, client):
    material_store(complete_draft, "investment_proof", upload("投入说明.docx", real_docx()), user=users["hefei_applicant"])
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    docx = app.materials.get(slot="investment_proof")
    assert docx.content_type == DOCX_TYPE
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{app.pk}/").content.decode()
    assert "兑现申报书（“安徽科技大脑”平台下载填报）</strong>：application_form.pdf" in page
    assert "场景开发投入证明（合同、发票、支付凭证）（待省科技厅确认）</strong>：投入说明.docx" in page
    assert f"/review/{app.pk}/materials/{docx.pk}/view/" in page  # the DOCX has a preview pane
    assert "兑现材料（加盖公章）一式两份由各市科技局（归口管理部门）送至省政务中心省科技厅窗口" in page
    preview = client.get(f"/review/{app.pk}/materials/{docx.pk}/view/")
    text = preview.content.decode()
    assert preview.status_code == 200 and preview["Content-Type"].startswith("text/html")
    assert "场景开发投入说明" in text and "本项目场景开发投入 120 万元。" in text and "HT-2025-018" in text
    assert "<script>alert" not in text and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text
    assert AuditEvent.objects.filter(action="material.view", object_id=str(docx.pk)).exists()


def test_the_applicant_previews_its_own_docx_and_another_organisation_cannot(complete_draft, users, time_machine, client):
    material_store(complete_draft, "investment_proof", upload("投入说明.docx", real_docx()), user=users["hefei_applicant"])
    docx = complete_draft.materials.get(slot="investment_proof")
    url = f"/applications/{complete_draft.pk}/materials/file/{docx.pk}/preview/"
    signin(client, users["hefei_applicant"])
    assert url in client.get(f"/applications/{complete_draft.pk}/materials/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and "HT-2025-018" in response.content.decode()
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    for username in ("wuhu_applicant", "wuhu_clerk", "expert"):
        signin(client, users[username])
        assert client.get(url).status_code == 404, username
        assert client.get(f"/review/{app.pk}/materials/{docx.pk}/view/").status_code == 404, username


def test_a_damaged_docx_says_so_instead_of_failing(complete_draft, users, client):
    from .conftest import ooxml

    material = material_store(complete_draft, "investment_proof", upload("坏.docx", ooxml("docx")),
                              user=users["hefei_applicant"])
    signin(client, users["hefei_applicant"])
    response = client.get(f"/applications/{complete_draft.pk}/materials/file/{material.pk}/preview/")
    assert response.status_code == 200 and "无法读取该 Word 文件的内容，请下载后查看。" in response.content.decode()


def test_the_status_page_lists_submitted_files_under_their_requirement(complete_draft, users, time_machine, client):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)
    app = application_submit(complete_draft, user=users["hefei_applicant"], token="t", declaration=True)
    for username in ("hefei_applicant", "hefei_clerk"):
        signin(client, users[username])
        page = client.get(f"/applications/{app.pk}/status/").content.decode()
        assert "兑现申报书（“安徽科技大脑”平台下载填报）：<a" in page
        assert "自主知识产权证明（待省科技厅确认）：<a" in page
