"""English for the Python strings of decisions and compute shown on pages.

Dashboard links, the scoring sheet's labels and errors, service refusals and flash messages come from the
catalogue: Chinese by default, English with the `django_language=en` cookie. The criteria's
names come from the scoring sheet and stay Chinese.
"""

import pytest
from django.conf import settings

from duixian.decisions.models import Assignment
from duixian.decisions.services import assignment_create
from tests.applications.conftest import at
from tests.decisions.conftest import experts, panel, published, recommended  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

FULL = {"technology": "20", "effect": "25", "demonstration": "26", "investment": "12"}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_province_dashboard_links_in_english(client, users, login):
    login(client, users["province"])
    page = client.get("/dashboard/").content.decode()
    assert "省级评审决定（含批量决定）" in page and "算力补助（免申即享）：导入计量数据、计算、发布" in page
    page = english(client).get("/dashboard/").content.decode()
    assert "Provincial review decisions (including batch decisions)" in page
    assert "Compute subsidy (granted without application): import metering data, calculate, publish" in page
    assert "省级评审决定" not in page and "导入计量数据" not in page


def test_expert_dashboard_counts_waiting_tasks_in_english(recommended, users, experts, panel, client):
    assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    client.force_login(experts[0])
    assert "我的评审任务（待评分 1）" in client.get("/dashboard/").content.decode()
    assert "My review tasks (1 awaiting scores)" in english(client).get("/dashboard/").content.decode()


def test_scoring_sheet_errors_and_flash_in_english(recommended, users, experts, panel, client):
    a = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    client.force_login(experts[0])
    english(client)
    url = f"/decisions/expert/assignments/{a.pk}/"
    data = {f"score_{k}": v for k, v in FULL.items()}
    page = client.post(url, dict(data, score_effect="31")).content.decode()
    # The sheet's words come from the catalogue (pack words): the criterion is named in English.
    assert "The score for “Results of the application” cannot exceed 30 points." in page
    assert "Results of the application (0–30 points)" in page
    assert "的分数不能超过" not in page
    data["fact_scene.demonstration_effect"] = "yes"
    page = client.post(url, data, follow=True).content.decode()
    assert "Your scores are submitted." in page and "评分已提交" not in page
    assert Assignment.objects.get(pk=a.pk).total == 83


def test_funding_refusal_during_the_public_notice_in_english(published, users, client, time_machine):
    time_machine.move_to(at("2026-06-19 10:00:00"), tick=False)
    app = published.items.get(number=2).application
    client.force_login(users["province"])
    url = f"/decisions/applications/{app.pk}/funding/"
    data = {"kind": "allocation", "on_date": "2026-06-19", "amount": "20", "voucher": "皖科资〔2026〕12号"}
    page = client.post(url, data).content.decode()
    assert "公示期结束后方可登记资金下达和拨付" in page
    page = english(client).post(url, data).content.decode()
    assert "allocations and disbursements can be recorded only after it ends" in page
    assert "公示期结束后方可登记" not in page
    assert not app.funding.exists()


def test_progress_columns_in_english(recommended, users, client):
    client.force_login(users["province"])
    page = client.get("/decisions/").content.decode()
    assert "已提交申报" in page and "不予推荐" in page
    page = english(client).get("/decisions/").content.decode()
    assert "Applications submitted" in page and "Awaiting city review" in page and "Do not recommend" in page
    assert "已提交申报" not in page and "待市级审核" not in page
