"""English for the applicant-facing Python strings of applications and orgs.

Question labels, help texts, citations and choices (applications/questions.py), form errors,
service refusals and the organisation's submission status come from the catalogue: Chinese by
default, English with the `django_language=en` cookie. The printable summary stays Chinese.
"""

import io

import pytest
from django.conf import settings
from docx import Document

from duixian.applications.models import Application
from duixian.orgs.models import OrgStatus
from tests.applications.conftest import at, complete_draft, signin  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def applicant(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    return signin(client, users["hefei_applicant"])


@pytest.fixture
def draft(applicant):
    response = applicant.post("/applications/new/", {"choice": "2", "project_name": "智慧工厂质检大模型应用"})
    assert response.status_code == 302
    return Application.objects.get(project_name="智慧工厂质检大模型应用")


def test_question_labels_help_citations_and_choices_in_english(applicant, draft):
    url = f"/applications/{draft.pk}/section/scene/"
    page = applicant.get(url).content.decode()
    assert "场景建设状态" in page and "规划中" in page and "二、（二）2" in page
    assert "Scenario construction status" not in page
    page = english(applicant).get(url).content.decode()
    assert "Scenario construction status" in page and "Planned" in page and "Under construction" in page
    assert "The scenario is carried out in Anhui Province" in page and "section 2 (2) 2" in page
    assert "An organisation that can supply these itself does not meet clause 2" in page
    # The verdict's rules quote the pack's own citations, which stay Chinese (docs/i18n.md).
    assert "场景建设状态" not in page and "规划中" not in page


def test_task_statuses_and_form_errors_in_english(applicant, draft):
    page = english(applicant).get(f"/applications/{draft.pk}/tasks/").content.decode()
    assert "Project details" in page and "Not started" in page and "未开始" not in page
    page = applicant.post(f"/applications/{draft.pk}/section/project/",
                          {"project__occurred_on": "2025-13-01", "project__in_anhui": "true"}).content.decode()
    assert "Enter the date as “year-month-day”, such as 2025-12-01." in page
    assert "Must fall between 16 August 2025 and 15 April 2026." in page
    assert "请按“年-月-日”填写日期" not in page


def test_duplicate_application_refusal_in_english_and_chinese(applicant, draft):
    data = {"choice": "2", "project_name": draft.project_name}
    page = applicant.post("/applications/new/", data).content.decode()
    assert "请在“我的申报”中继续填写，不要重复创建" in page and "Continue it under" not in page
    page = english(applicant).post("/applications/new/", data).content.decode()
    assert "Your organisation already has an application under" in page
    assert "“智慧工厂质检大模型应用”" in page  # the placeholder keeps the applicant's own words
    assert "不要重复创建" not in page


def test_organisation_waiting_for_its_letter_is_told_in_english(client, users, hefei_org):
    hefei_org.status = OrgStatus.PENDING
    hefei_org.save(update_fields=["status"])
    signin(client, users["hefei_applicant"])
    page = client.get("/orgs/mine/").content.decode()
    assert "请经办人先上传加盖单位公章的授权书" in page
    page = english(client).get("/orgs/mine/").content.decode()
    assert "The account manager should first upload a letter of authorisation" in page
    assert "请经办人先上传加盖单位公章的授权书" not in page


def test_summary_docx_stays_chinese_on_an_english_page(client, complete_draft, users):
    signin(english(client), users["hefei_applicant"])
    docx = client.get(f"/applications/{complete_draft.pk}/summary.docx")
    document = Document(io.BytesIO(docx.content))
    headings = [p.text for p in document.paragraphs]
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "项目基本信息" in headings and "场景情况" in headings
    assert "场景建设状态" in cells and "已完成建设并投入使用" in cells and "是" in cells
    assert "Project details" not in headings and "Scenario construction status" not in cells
