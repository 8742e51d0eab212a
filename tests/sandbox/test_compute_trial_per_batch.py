"""The 政策沙盘's compute-subsidy trial reads its own batch's latest compute run (issue 18): with a
run of another batch only, the 2026 trial says there is no run yet instead of pricing the other
batch's quantities with 2026's parameters."""

from decimal import Decimal
from pathlib import Path

import pytest

from duixian.compute.demo import SAMPLE
from duixian.compute.services import metering_import, subsidy_run
from duixian.policy.active import pack_of
from duixian.policy.services import pack_version_load
from duixian.sandbox.trial import run_trial
from tests.applications.conftest import at

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"
UNITS = "\ncompute_units:\n  - {id: card_hour, name: 卡时, base: true}\n"

pytestmark = pytest.mark.django_db


def test_the_trial_uses_its_own_batchs_run(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    text = FULL.read_text(encoding="utf-8")
    pack_version_load(text if "compute_units:" in text else text + UNITS, user=users["province"], note="（虚构）")
    metering_import(SAMPLE, original_name=SAMPLE.name)
    other = subsidy_run(user=users["province"], batch_id=NEW)
    assert other.results.filter(eligible=True, subsidy_quantity__gt=0).exists()

    alone = run_trial(pack_of(OLD), "clause3_ratio", Decimal("0.5"), reference_price=Decimal(4))
    assert alone.compute_run is None and alone.total.count == 0
    assert any("还没有成功完成的算力补助计算" in n for n in alone.notes)

    own = subsidy_run(user=users["province"], batch_id=OLD)
    tried = run_trial(pack_of(OLD), "clause3_ratio", Decimal("0.5"), reference_price=Decimal(4))
    assert tried.compute_run.pk == own.pk and tried.total.count > 0
