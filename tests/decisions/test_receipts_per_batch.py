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
                         recommendation_letter=True, summary_table=True, stamped_materials=True, copies=2,
                         user=users["province"])
    # 芜湖 delivers for the made-up 2027 notice: before its 2027-04-10 12:00 deadline, one copy (一式一份).
    response = client.post("/decisions/receipts/340200/?batch=made-up-2027", {
        "received_at": "2027-04-10T11:00", "recommendation_letter": "on", "summary_table": "on",
        "stamped_materials": "on", "copies": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/decisions/?batch=made-up-2027"

    page = client.get("/decisions/?batch=made-up-2027").content.decode()
    assert "尚未收到" in receipt_row(page, "340100")  # the 2026 receipt is not the 2027 one
    wuhu = receipt_row(page, "340200")
    assert "2027年4月10日 11:00" in wuhu and "按时" in wuhu and "不齐全" not in wuhu
    assert "2027年4月10日 12:00" in page  # the 2027 deadline

    page = client.get(f"/decisions/?batch={SHIPPED_BATCH}").content.decode()
    hefei = receipt_row(page, "340100")
    assert "2026年5月7日 16:59" in hefei and "按时" in hefei and "不齐全" not in hefei
    assert "尚未收到" in receipt_row(page, "340200")

    form = client.get("/decisions/receipts/340200/?batch=made-up-2027").content.decode()
    assert "一式一份" in form and 'value="1"' in form and "2027-04-10T11:00" in form
    assert set(PaperReceipt.objects.values_list("city_code", "batch_id")) == {
        ("340100", SHIPPED_BATCH), ("340200", "made-up-2027")}


def test_existing_receipts_migrate_to_the_shipped_batch(users, time_machine):
    import importlib

    from django.apps import apps as django_apps

    time_machine.move_to(at("2026-05-08 09:00:00"), tick=False)
    paper_receipt_record(batch_id=SHIPPED_BATCH, city_code="340100", received_at=at("2026-05-07 16:00:00"),
                         recommendation_letter=True, summary_table=True, stamped_materials=True, copies=2,
                         user=users["province"])
    PaperReceipt.objects.update(batch_id="")
    importlib.import_module("duixian.decisions.migrations.0005_paperreceipt_batch").to_the_shipped_batch(
        django_apps, None)
    assert PaperReceipt.objects.get().batch_id == SHIPPED_BATCH
