"""Deciding several applications on a second batch's decision list: the province comes back to
that batch's list, where the report of what was decided is shown."""

import pytest

from tests.policy.test_batches import load_second

pytestmark = pytest.mark.django_db


def test_a_batch_decision_on_the_second_batchs_list_returns_to_that_list(recommended, users, client, login):
    load_second(client, login, users["province"])
    app = recommended[0]
    type(app).objects.filter(pk=app.pk).update(batch_id="made-up-2027")
    login(client, users["province"])

    page = client.get("/decisions/applications/?batch=made-up-2027").content.decode()
    assert 'action="/decisions/applications/batch/?batch=made-up-2027"' in page
    done = client.post("/decisions/applications/batch/?batch=made-up-2027",
                       {"action": "approve", "selected": [app.pk], f"amount_{app.pk}": "20",
                        "without_panel_reason": "专家组线下评审"})
    assert done.status_code == 302 and done.url == "/decisions/applications/?batch=made-up-2027"
    page = client.get(done.url).content.decode()
    assert 'id="batch-report"' in page and app.reference in page
