"""Ticked rows sent back by a hand-made form: a value that cannot name an application (a
superscript digit, a number beyond any database key) is left out, never a server error."""

import pytest

from duixian.applications.models import ApplicationState as S

from .conftest import at, make_submitted, signin

pytestmark = pytest.mark.django_db

NOT_KEYS = ["²", "9" * 30, "9" * 5000]


def test_the_clerks_batch_recommend_ignores_values_that_name_no_application(client, users, time_machine):
    app = make_submitted(users["hefei_applicant"], "医院影像辅助诊断大模型应用", time_machine=time_machine)
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.post("/review/batch-recommend/", {"selected": [*NOT_KEYS, app.pk]})
    assert page.status_code == 200 and app.reference in page.content.decode()
    done = client.post("/review/batch-recommend/", {"selected": [*NOT_KEYS, app.pk], "confirm": "1"})
    assert done.status_code == 302
    app.refresh_from_db()
    assert app.state == S.RECOMMENDED


def test_the_provinces_batch_decision_ignores_values_that_name_no_application(client, login, users):
    login(client, users["province"])
    response = client.post("/decisions/applications/batch/", {"selected": NOT_KEYS, "action": "approve"})
    assert response.status_code < 500
