"""单位证照库 under hostile input: a document id that is not a number gets a Chinese message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duixian.applications.models import Material
from duixian.applications.services import application_create
from tests.applications.conftest import at


@pytest.fixture
def moment(time_machine):
    time_machine.move_to(at("2026-04-21 09:00:00"), tick=False)


@pytest.mark.parametrize("document", ["abc", "1 OR 1=1", "=cmd|' /C calc'!A0", "9" * 30, "-1"])
def test_a_document_id_that_is_not_one_is_refused_in_chinese(users, client, moment, document):
    applicant = users["hefei_applicant"]
    app = application_create(user=applicant, clause="2", project_name="医院影像辅助诊断大模型应用")
    client.force_login(applicant)
    response = client.post(reverse("wallet:attach", kwargs={"pk": app.pk, "slot": "business_licence"}),
                           {"document": document}, follow=True)
    assert response.status_code == 200
    assert "请选择证照库中的证照。" in response.content.decode()
    assert not Material.objects.filter(application=app).exists()
