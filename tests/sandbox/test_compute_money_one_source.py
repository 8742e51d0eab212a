"""The 政策沙盘 and the compute pages price compute from one source (compute.selectors.compute_money):
the sandbox's 万元 is the pages' 元 ÷ 10000, whatever money unit the pack writes its price in."""

from decimal import Decimal

import pytest

from duixian.compute.selectors import compute_money, subsidy_amount_yuan
from duixian.sandbox.trial import _compute_amount
from tests.compute.test_pages import _pack_priced


@pytest.mark.parametrize("price,unit", [('"2"', "元/卡时"), ('"0.0002"', "万元/卡时")])
def test_sandbox_wan_is_the_pages_yuan(price, unit):
    pack = _pack_priced(price, "true", unit=unit)
    q = Decimal("717.5")
    wan = _compute_amount(compute_money(pack), q, None, False)
    assert wan == Decimal("0.14") and subsidy_amount_yuan(q, pack).amount == Decimal("1435.00")
    by_ratio = _compute_amount(compute_money(pack, ratio=Decimal("0.5")), q, Decimal("4"), True)
    assert by_ratio == Decimal("0.14")  # 717.5 卡时 × 4 元 × 0.5 = 1435 元
