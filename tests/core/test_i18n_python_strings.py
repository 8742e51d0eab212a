"""English for the strings marked in Python: refusals, form labels, dashboard labels, messages.

Chinese stays the default (no cookie); the `django_language=en` cookie switches the same pages
to English. Audit details stay Chinese whatever the page's language (docs/i18n.md).
"""

import io

import pytest
from django.conf import settings

from duixian.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_refusal_to_deactivate_oneself_in_english_and_chinese(client, users):
    me = users["system_admin"]
    client.force_login(me)
    page = client.post(f"/accounts/manage/users/{me.pk}/deactivate/", follow=True).content.decode()
    assert "不能停用自己的账号。" in page and "You cannot deactivate your own account." not in page
    page = english(client).post(f"/accounts/manage/users/{me.pk}/deactivate/", follow=True).content.decode()
    assert "You cannot deactivate your own account." in page and "不能停用自己的账号" not in page


def test_security_policy_and_grant_refusal_in_english(client, users):
    client.force_login(users["security_admin"])
    page = english(client).post("/accounts/manage/roles/", {
        "username": "secadmin", "role": "city_clerk", "city_code": "340100", "reason": "test",
    }).content.decode()
    assert "You cannot grant a role to yourself." in page
    limit = settings.AXES_FAILURE_LIMIT
    assert "Lockout after failed logins" in page and f"After {limit} failed logins in a row" in page
    assert "登录失败锁定" not in page and "不能给自己授权" not in page


def test_review_filter_labels_and_choices_in_english(client, users):
    client.force_login(users["hefei_clerk"])
    page = client.get("/review/").content.decode()
    assert "依据政策条款" in page and "全部条款" in page and "Policy clause" not in page
    page = english(client).get("/review/").content.decode()
    assert "Policy clause" in page and "All clauses" in page and "All statuses" in page
    assert "依据政策条款" not in page and "全部条款" not in page


@pytest.mark.parametrize("who, chinese, english_label", [
    ("province", "登记册（不重复支持、信用记录、已评审通过的园区）", "Registries (no double support, credit records, approved parks)"),
    ("hefei_clerk", "审核推荐工作台（待审核 0 件）", "Review and recommendation desk (0 awaiting review)"),
    ("system_admin", "账号管理（系统管理员）", "Account management (system administrator)"),
])
def test_dashboard_labels_in_english(client, users, who, chinese, english_label):
    client.force_login(users[who])
    page = client.get("/dashboard/").content.decode()
    assert chinese in page and english_label not in page
    page = english(client).get("/dashboard/").content.decode()
    assert english_label in page and chinese not in page


def test_registry_import_problems_in_english_but_audited_in_chinese(client, users):
    from tests.registries.conftest import HEFEI, csv_bytes

    client.force_login(users["province"])
    upload = io.BytesIO(csv_bytes("serious_dishonesty", [[HEFEI, "乙", "", "x"]]))
    upload.name = "credit.csv"
    page = english(client).post("/registries/import/", {"kind": "serious_dishonesty", "file": upload}).content.decode()
    assert "Line 2: “年度” must not be empty." in page  # the column's name is the file's, in Chinese
    assert "不能为空" not in page
    refused = AuditEvent.objects.filter(action="registry.import").latest("seq")
    assert refused.detail["problems"] == ["第2行：“年度”不能为空。"]


def test_sandbox_parameter_labels_in_english(client, users):
    client.force_login(users["province"])
    page = english(client).get("/sandbox/").content.decode()
    assert "Clause 2 subsidy cap" in page and "第二条 补助上限" not in page
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "第二条 补助上限" in client.get("/sandbox/").content.decode()


def test_self_check_questions_and_choices_in_english(client):
    page = client.get("/policy/2/").content.decode()
    assert "场景状态" in page and "正在建设" in page and "Scenario status" not in page
    page = english(client).get("/policy/2/").content.decode()
    assert "Scenario status" in page and "Being built" in page
    assert "场景状态" not in page and "正在建设" not in page
