"""Saving the 汇总表 contact from one batch's work list returns the clerk to that batch's list
(the form and the redirect keep ?batch=), not to the default batch's."""

from pathlib import Path

import pytest

from duixian.policy.services import pack_version_load_file

from .conftest import at, signin

pytestmark = pytest.mark.django_db

FULL = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD = "anhui-agi-2.0-2026"


def test_the_contact_form_returns_to_the_batch_it_was_sent_from(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    pack_version_load_file(FULL)  # the made-up batch is then the default one
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/?batch={OLD}").content.decode()
    assert f'action="/review/contact/?batch={OLD}"' in page
    response = client.post(f"/review/contact/?batch={OLD}", {"contact_name": "张三", "contact_phone": "0551-12345678"})
    assert response.status_code == 302 and response["Location"] == f"/review/?batch={OLD}"
