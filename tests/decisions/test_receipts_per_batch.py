"""Paper receipts (纸质材料) belong to a batch: each batch's province dashboard lists its own
receipts, judged by its own pack's deadline and copy count."""

from __future__ import annotations

import re

import pytest

from duixian.decisions.models import PaperReceipt
from duixian.decisions.services import paper_receipt_record
from duixian.policy.pack import default_pack
from tests.applications.conftest import at
from tests.policy.test_batches import load_second

pytestmark = pytest.mark.django_db

SHIPPED_BATCH = default_pack().batch_id


def receipt_row(page: str, city_code: str) -> str:
    table = page.split('id="receipt-table"')[1]
    return re.search(rf'<tr data-city="{city_code}">(.*?)</tr>', table, re.S).group(1)


def test_each_batch_dashboard_judges_its_own_receipts_by_its_own_pack(client, login, users, time_machine):
    time_machine.move_to(at("2027-04-12 09:00:00"), tick=False)
    load_second(client, login, users["province"])
    # 合肥 delivered its 2026 paper materials on time (2026 deadline), two copies.
    paper_receipt_record(batch_id=SHIPPED_BATCH, city_code="340100", received_at=at("2026-05-07 16:59:59"),
                         items=["推荐函", "项目申报汇总表（附件2）", "兑现材料（加盖公章）"], copies=2,
                         user=users["province"])
    # 芜湖 delivers for the made-up 2027 notice: before its 2027-04-10 12:00 deadline, one copy (一式一份)
    # of the one item that notice asks for (推荐函): complete, though 2026's other two items are absent.
    response = client.post("/decisions/receipts/340200/?batch=made-up-2027", {
        "received_at": "2027-04-10T11:00", "items": ["推荐函"], "copies": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/decisions/?batch=made-up-2027"

    page = client.get("/decisions/?batch=made-up-2027").content.decode()
    assert "尚未收到" in receipt_row(page, "340100")  # the 2026 receipt is not the 2027 one
    wuhu = receipt_row(page, "340200")
    assert "2027年4月10日 11:00" in wuhu and "按时" in wuhu and "不齐全" not in wuhu and "✗ 未收" not in wuhu
    assert "兑现材料（加盖公章）" not in page.split('id="receipt-table"')[1]  # 2027 asks for 推荐函 only
    assert "2027年4月10日 12:00" in page  # the 2027 deadline

    page = client.get(f"/decisions/?batch={SHIPPED_BATCH}").content.decode()
    hefei = receipt_row(page, "340100")
    assert "2026年5月7日 16:59" in hefei and "按时" in hefei and "不齐全" not in hefei
    assert "尚未收到" in receipt_row(page, "340200")

    form = client.get("/decisions/receipts/340200/?batch=made-up-2027").content.decode()
    assert "一式一份" in form and 'value="1"' in form and "2027-04-10T11:00" in form
    assert 'value="推荐函"' in form and "项目申报汇总表（附件2）" not in form.split("<form")[1]
    assert set(PaperReceipt.objects.values_list("city_code", "batch_id")) == {
        ("340100", SHIPPED_BATCH), ("340200", "made-up-2027")}


def test_existing_receipts_migrate_to_the_shipped_batch(users, time_machine):
    import importlib

    from django.apps import apps as django_apps

    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    paper_receipt_record(batch_id=SHIPPED_BATCH, city_code="340100", received_at=at("2026-05-07 16:00:00"),
                         items=["推荐函", "项目申报汇总表（附件2）", "兑现材料（加盖公章）"], copies=2,
                         user=users["province"])
    PaperReceipt.objects.update(batch_id="")
    importlib.import_module("duixian.decisions.migrations.0005_paperreceipt_batch").to_the_shipped_batch(
        django_apps, None)
    assert PaperReceipt.objects.get().batch_id == SHIPPED_BATCH


def test_complete_means_every_item_of_the_batchs_delivery(users, time_machine):
    from duixian.decisions.services import DecisionError

    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    delivery = default_pack().delivery
    receipt = paper_receipt_record(batch_id=SHIPPED_BATCH, city_code="340100", received_at=at("2026-05-07 16:00:00"),
                                   items=["兑现材料（加盖公章）", "推荐函"], copies=2, user=users["province"])
    assert receipt.items == ["推荐函", "兑现材料（加盖公章）"] and not receipt.complete(delivery)
    receipt.items = list(delivery.items)
    assert receipt.complete(delivery)
    receipt.copies = delivery.copies - 1
    assert not receipt.complete(delivery)
    with pytest.raises(DecisionError) as err:
        paper_receipt_record(batch_id=SHIPPED_BATCH, city_code="340100", received_at=at("2026-05-07 16:00:00"),
                             items=["光盘"], copies=2, user=users["province"])
    assert err.value.field == "items" and "光盘" in err.value.message


def test_old_receipts_keep_their_boxes_as_the_2026_items(users, time_machine):
    import importlib

    from django.apps import apps as django_apps

    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    migration = importlib.import_module("duixian.decisions.migrations.0007_receipt_items_from_the_pack")
    assert [item for _box, item in migration.BOXES] == list(default_pack().delivery.items)
