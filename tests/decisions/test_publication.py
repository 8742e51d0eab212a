"""公示: working-day period, masked personal data in page and xlsx, objections inside the period only."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from duixian.applications.models import ApplicationState as S
from duixian.audit.models import AuditEvent
from duixian.decisions.masking import mask_name
from duixian.decisions.models import Objection, ObjectionAttachment
from duixian.decisions.services import DecisionError, objection_answer, objection_submit, publication_create
from tests.applications.conftest import EXE, PDF, at

pytestmark = pytest.mark.django_db


def test_period_counts_chinese_working_days(published):
    # 6-18 Thu is day 1; 6-19 is 端午节 (holiday); 6-20/21 weekend; 6-22..25 days 2–5.
    assert published.last_day == date(2026, 6, 25)
    assert published.ends_at == at("2026-06-26 00:00:00")
    assert published.items.count() == 3
    assert set(published.items.values_list("application__state", flat=True)) == {S.PUBLISHED}


@pytest.mark.parametrize("name, masked", [("张晓明", "张*明"), ("李娜", "李*"), ("欧阳晓娜", "欧**娜"), ("", "")])
def test_mask_name(name, masked):
    assert mask_name(name) == masked


def test_public_page_masks_phones_and_names_without_login(published, client):
    response = client.get(f"/public/gongshi/{published.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "张*明 ****6594" in text and "李* ****9803" in text and "欧**娜 ****6789" in text
    for raw in ("13912346594", "62999803", "18655106789", "张晓明", "欧阳晓娜"):
        assert raw not in text
    assert "医院影像辅助诊断大模型应用" in text and "24.00" in text
    assert "提出异议" in text


def test_public_xlsx_is_masked_too(published, client):
    response = client.get(f"/public/gongshi/{published.pk}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0] == ["序号", "申报单位", "项目名称", "依据政策条款", "归口管理部门", "拟兑现金额（万元）", "项目联系人及联系方式"]
    contacts = [r[6] for r in rows[1:]]
    assert sorted(contacts) == sorted(["张*明 ****6594", "李* ****9803", "欧**娜 ****6789"])
    assert AuditEvent.objects.filter(action="decisions.publication_export").exists()


def test_only_approved_applications_are_published(recommended, users, time_machine):
    time_machine.move_to(at("2026-06-18 10:00:00"), tick=False)
    with pytest.raises(DecisionError, match="只有评审通过的申报可以公示"):
        publication_create(applications=recommended[:1], working_days=5, title="公示", user=users["province"])


def test_objection_inside_the_period_with_attachment(published, client, time_machine):
    time_machine.move_to(at("2026-06-25 23:59:59"), tick=False)  # the last second of the last day
    item = published.items.first()
    response = client.post(f"/public/gongshi/{published.pk}/objection/", {
        "item": str(item.pk), "name": "赵敏", "phone": "131 5511 3928", "body": "该项目场景尚未投入使用。",
        "files": [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
    })
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.item == item and objection.phone == "13155113928"
    attachment = ObjectionAttachment.objects.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    done = client.get(response["Location"]).content.decode()
    assert objection.reference in done


def test_objection_after_the_period_is_refused_naming_its_end(published, client, time_machine):
    time_machine.move_to(at("2026-06-26 00:00:00"), tick=False)
    with pytest.raises(DecisionError, match="公示期已于2026年6月25日 24:00 结束，公示结果已为最终结果，不再受理异议"):
        objection_submit(publication=published, item=None, name="赵敏", phone="13155113928", body="异议")
    response = client.post(f"/public/gongshi/{published.pk}/objection/",
                           {"name": "赵敏", "phone": "13155113928", "body": "异议"})
    assert "公示期已于2026年6月25日 24:00 结束" in response.content.decode()
    assert not Objection.objects.exists()
    page = client.get(f"/public/gongshi/{published.pk}/").content.decode()
    assert "公示名单为最终结果" in page and "提出异议</a>" not in page


def test_objection_attachment_checked_by_content_and_size(published, client, monkeypatch):
    response = client.post(f"/public/gongshi/{published.pk}/objection/", {
        "name": "赵敏", "phone": "13155113928", "body": "异议",
        "files": [SimpleUploadedFile("证明.pdf", EXE, content_type="application/pdf")],
    })
    assert "不是 PDF、JPG 或 PNG 文件（按文件内容判断）" in response.content.decode()
    monkeypatch.setattr("duixian.decisions.services.objections.OBJECTION_MAX_BYTES", 50)
    with pytest.raises(DecisionError, match="超过"):
        objection_submit(publication=published, item=None, name="赵敏", phone="13155113928", body="异议",
                         files=[SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")])
    assert not Objection.objects.exists()


def test_objection_form_says_why(published, client):
    response = client.post(f"/public/gongshi/{published.pk}/objection/", {"name": "", "phone": "123", "body": ""})
    text = response.content.decode()
    assert "请填写异议人姓名或单位名称。" in text and "请写明异议内容及理由。" in text


def test_province_answers_each_objection_once(published, users, client):
    objection = objection_submit(publication=published, item=None, name="赵敏", phone="13155113928", body="异议")
    client.force_login(users["province"])
    page = client.get(f"/decisions/publications/{published.pk}/").content.decode()
    assert objection.reference in page and "13155113928" in page  # the province sees who objected
    response = client.post(f"/decisions/objections/{objection.pk}/answer/",
                           {f"o{objection.pk}-answer": "经核实，该场景已于2025年12月投入使用，异议不成立。",
                            f"o{objection.pk}-outcome": "dismissed"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "answered" and objection.answered_by == users["province"]
    with pytest.raises(DecisionError, match="不能重复答复"):
        objection_answer(objection, answer="再答复", outcome="dismissed", user=users["province"])
    assert AuditEvent.objects.filter(action="decisions.objection_answer").exists()
    client.force_login(users["hefei_clerk"])
    assert client.get(f"/decisions/publications/{published.pk}/").status_code == 404
