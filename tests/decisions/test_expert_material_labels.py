"""An assigned expert reads each file under its requirement label and can preview it; no one else can."""

import pytest

from duixian.decisions.services import assignment_create
from tests.applications.conftest import signin

pytestmark = pytest.mark.django_db


def test_expert_sees_requirement_labels_and_previews_only_their_assignment(recommended, users, experts, panel, client):
    mine = assignment_create(application=recommended[0], expert=experts[0], panel=panel, user=users["province"])
    theirs = assignment_create(application=recommended[1], expert=experts[1], panel=panel, user=users["province"])
    signin(client, experts[0])
    page = client.get(f"/decisions/expert/assignments/{mine.pk}/").content.decode()
    assert "兑现申报书（“安徽科技大脑”平台下载填报）</strong>：" in page
    assert "自主知识产权证明（待省科技厅确认）</strong>：<a" in page and ">ip_proof.pdf</a>" in page
    material = recommended[0].materials.get(slot="ip_proof")
    preview = f"/decisions/expert/assignments/{mine.pk}/materials/{material.pk}/preview/"
    assert preview in page
    response = client.get(preview)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    download = client.get(f"/decisions/expert/assignments/{mine.pk}/materials/{material.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    other = recommended[1].materials.first()
    assert client.get(f"/decisions/expert/assignments/{theirs.pk}/materials/{other.pk}/preview/").status_code == 404
    # a material of another application through my assignment's door: refused
    assert client.get(f"/decisions/expert/assignments/{mine.pk}/materials/{other.pk}/preview/").status_code == 404
