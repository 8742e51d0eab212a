"""政策沙盘 with two batches open at once (issue 18): each batch is tried on its own pack, over its
own applications; `?batch=` picks the batch, as on every other per-batch page."""

from decimal import Decimal
from pathlib import Path

import pytest

from duixian.policy.active import current_pack, pack_of
from duixian.policy.services import pack_version_load
from duixian.sandbox.trial import run_trial
from tests.applications.conftest import at
from tests.sandbox.test_sandbox import submit

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_batches(users, time_machine):
    """A 2026 clause-2 application, then the made-up notice (open since 4-15) loaded beside 2026."""
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    app = submit(users["hefei_applicant"], "医院影像辅助诊断大模型应用", "300")
    pack_version_load(FULL.read_text(encoding="utf-8"), user=users["province"], note="（虚构）人才培训")
    assert current_pack().batch_id == NEW  # both open: the one opened last is the default
    return app


def test_the_page_tries_the_chosen_batch(client, users, login, two_batches):
    login(client, users["province"])
    new = client.get("/sandbox/").content.decode()
    assert "人才培训补助比例" in new and 'id="batch-selector"' in new
    old = client.get("/sandbox/", {"batch": OLD}).content.decode()
    assert "人才培训补助比例" not in old and 'name="batch" value="anhui-agi-2.0-2026"' in old
    tried = client.get("/sandbox/", {"batch": OLD, "parameter": "clause2_cap_wan", "value": "150"}).content.decode()
    assert 'id="stat-before">60.00<' in tried  # 20% of 300, by 2026's own rule


def test_a_batch_is_tried_over_its_own_applications_only(two_batches):
    assert run_trial(pack_of(NEW), "clause6_cap_wan", Decimal(40)).total.count == 0
    assert run_trial(pack_of(OLD), "clause2_cap_wan", Decimal(150)).total.count == 1
