"""Query ceilings for the applicant's busiest pages in the last hour before the deadline.

Each query costs about 0.5 ms of CPU in Django's ORM, and the last-hour surge (bench/surge)
saturates on exactly these four requests: the task list, the HTMX autosave of a section, a
material upload and 确认信息. The ceilings are today's counts in demo mode (the surge runs with
the demo clock), so a page that starts re-reading its application, materials, organisation or
the clock fails here rather than in the next load test. Signing in costs two of them (session,
user with membership and second factor); a save locks its row (a savepoint pair here, BEGIN and
COMMIT in production); a material upload also writes an audit event (sealed after the commit,
which a test's transaction never reaches).
"""

import pytest

from duixian.core import clock
from duixian.orgs.models import OrgMembership, OrgRole

from .conftest import PDF, at, signin, upload

pytestmark = pytest.mark.django_db

SAVE = {"project_name": "医院影像辅助诊断大模型应用", "project__in_anhui": "true",
        "project__occurred_on": "2025-12-01", "amount_requested_wan": "24",
        "contact_name": "张晓明", "contact_phone": "13155113928"}


@pytest.fixture
def signed_in(client, complete_draft, users, settings, time_machine):
    time_machine.move_to(at("2026-05-05 23:00:00"), tick=False)
    settings.DEMO_MODE = True
    clock.set_demo_time(at("2026-05-05 23:00:00"))
    user = users["hefei_applicant"]
    OrgMembership.objects.get_or_create(user=user, organisation=user.organisation,
                                        defaults={"role": OrgRole.MANAGER})  # as registration makes it
    signin(client, user)
    client.get(f"/applications/{complete_draft.pk}/tasks/")  # a first request settles the session
    return client


def test_task_list_queries(signed_in, complete_draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = signed_in.get(f"/applications/{complete_draft.pk}/tasks/").content.decode()
    assert "已完成" in page and "系统预审（实时）" in page and "待判断" in page


def test_autosave_without_a_change_queries(signed_in, complete_draft, django_assert_max_num_queries):
    # What the surge posts: the same answers again (an autosave fired by leaving a field).
    with django_assert_max_num_queries(8):
        response = signed_in.post(f"/applications/{complete_draft.pk}/section/project/", SAVE,
                                  HTTP_X_DUIXIAN_AUTOSAVE="1")
    assert response.status_code == 200 and "系统预审（实时）" in response.json()["verdict_html"]


def test_autosave_queries(signed_in, complete_draft, django_assert_max_num_queries):
    # A change adds the row lock, the UPDATE (each in a savepoint here) and the re-read of the saved row.
    with django_assert_max_num_queries(12):
        response = signed_in.post(f"/applications/{complete_draft.pk}/section/project/",
                                  {**SAVE, "contact_name": "李工"}, HTTP_X_DUIXIAN_AUTOSAVE="1")
    assert response.status_code == 200 and "系统预审（实时）" in response.json()["verdict_html"]
    complete_draft.refresh_from_db()
    assert complete_draft.contact_name == "李工"


def test_autosave_over_the_cap_is_refused_within_its_query_budget(signed_in, complete_draft,
                                                                     django_assert_max_num_queries):
    # The verdict is computed twice (the refused amount, then the answers kept): one registry read more.
    with django_assert_max_num_queries(9):
        response = signed_in.post(f"/applications/{complete_draft.pk}/section/project/",
                                  {**SAVE, "amount_requested_wan": "2400"}, HTTP_X_DUIXIAN_AUTOSAVE="1")
    assert "不能超过本条款可兑现上限 24.00 万元" in response.json()["errors"]["amount_requested_wan"][0]
    complete_draft.refresh_from_db()
    assert complete_draft.amount_requested_wan == 24


def test_material_upload_queries(signed_in, complete_draft, django_assert_max_num_queries):
    url = f"/applications/{complete_draft.pk}/materials/application_form/upload/"
    # 10 since issue 15 item 4: the upload time comes from the platform clock (the demo clock's row,
    # read once per request), so that a demo upload on "20 April" says 20 April.
    with django_assert_max_num_queries(10):
        response = signed_in.post(url, {"file": upload("新申报书.pdf", PDF)})
    assert response.status_code == 302
    assert complete_draft.materials.get(slot="application_form").original_name == "新申报书.pdf"


def test_check_answers_queries(signed_in, complete_draft, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = signed_in.get(f"/applications/{complete_draft.pk}/check/").content.decode()
    assert "信息真实性承诺" in page and "尚未完成" not in page and "待判断" in page
    assert f"/applications/{complete_draft.pk}/section/scene/#q-scene__status" in page
    assert f"/applications/{complete_draft.pk}/materials/#slot-application_form" in page
