"""An organisation's compute page asked for a batch in which it has no published result (a stale
link, another batch's id, a made-up value) does not say that nothing has been published when
results are: it says so for that batch and links each batch that has one."""

import pytest
from django.urls import reverse

from duixian.policy.active import pack_of
from tests.compute.test_mine_per_batch import NEW, OLD, two_published  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("asked", ["no-such-batch", "<script>alert(1)</script>", "x" * 300])
def test_a_batch_without_the_organisations_result_links_those_with_one(client, login, users, two_published, asked):  # noqa: F811
    hefei = login(client, users["hefei_applicant"])
    response = hefei.get(reverse("compute:mine"), {"batch": asked})
    body = response.content.decode()
    assert response.status_code == 200
    assert "尚未发布包含本单位的算力补助结果" not in body
    assert "<script>alert(1)</script>" not in body
    for batch_id in (OLD, NEW):
        assert f'{reverse("compute:mine")}?batch={batch_id}' in body and pack_of(batch_id).title in body
    assert hefei.post(reverse("compute:mine_confirm"), {"batch": asked}).status_code == 404
