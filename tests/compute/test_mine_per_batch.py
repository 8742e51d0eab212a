"""An organisation's compute result per batch (issue 18): with two batches' runs published, the
organisation's page names each batch by its title and shows the chosen batch's latest published
run (the one published last without `?batch=`); confirming answers that batch's result only, and
the dashboard leads to each."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from duixian.compute.demo import SAMPLE
from duixian.compute.services import metering_import, subsidy_run, subsidy_run_publish
from duixian.policy.active import pack_of
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"
UNITS = "\ncompute_units:\n  - {id: card_hour, name: 卡时, base: true}\n"
HEFEI = "91340100MA2RXH7Q95"

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_published(users, time_machine):
    """2026's run published on 4月22日, the made-up batch's on 4月23日."""
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    metering_import(SAMPLE, original_name=SAMPLE.name)
    old = subsidy_run(user=users["province"], batch_id=OLD)
    subsidy_run_publish(old, user=users["province"], last_day=date(2026, 5, 20))
    text = FULL.read_text(encoding="utf-8")
    pack_version_load(text if "compute_units:" in text else text + UNITS, user=users["province"], note="（虚构）")
    time_machine.move_to(at("2026-04-23 09:00:00"), tick=False)
    new = subsidy_run(user=users["province"], batch_id=NEW)
    subsidy_run_publish(new, user=users["province"], last_day=date(2026, 5, 20))
    return old, new


def test_each_batchs_published_result_is_the_organisations_to_see(client, login, users, two_published):
    old, new = two_published
    hefei = login(client, users["hefei_applicant"])
    page = hefei.get(reverse("compute:mine")).content.decode()
    assert pack_of(OLD).title in page and pack_of(NEW).title in page  # both batches, by title
    assert f'data-run="{new.pk}"' in page  # the one published last
    page = hefei.get(reverse("compute:mine"), {"batch": OLD}).content.decode()
    assert f'data-run="{old.pk}"' in page and "717.5" in page
    assert hefei.post(reverse("compute:mine_confirm"), {"batch": OLD}).status_code == 302
    assert old.results.get(uscc=HEFEI).response and not new.results.get(uscc=HEFEI).response
    statement = hefei.get(reverse("compute:mine_statement"), {"batch": OLD})
    assert statement.status_code == 200
    dashboard = hefei.get(reverse("core:dashboard")).content.decode()
    assert f'{reverse("compute:mine")}?batch={OLD}' in dashboard and f'{reverse("compute:mine")}?batch={NEW}' in dashboard
