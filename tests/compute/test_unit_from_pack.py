"""The compute unit is the batch's pack's (issue 18): a pack whose base unit is GPU时 shows GPU时 on
the run and result pages and in the 政策沙盘 (its form, its result and its workbook), where the 2026
pack shows 卡时, word for word as before."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from duixian.compute.demo import SAMPLE
from duixian.compute.services import metering_import, subsidy_run
from duixian.core.clock import SHANGHAI
from duixian.policy.pack import DEFAULT_PACK_PATH
from duixian.policy.services import pack_version_load

pytestmark = pytest.mark.django_db

HEFEI = "91340100MA2RXH7Q95"
SHIPPED = DEFAULT_PACK_PATH.read_text(encoding="utf-8")


def gpu_pack_text() -> str:
    """The 2026 pack with its base compute unit named GPU时 and its price per GPU时."""
    text = (SHIPPED.replace('version: "2026.1"', 'version: "2026.1-gpu"', 1)
            .replace("{id: card_hour, name: 卡时, base: true,", "{id: card_hour, name: GPU时, base: true,", 1)
            .replace("unit: 元/卡时", "unit: 元/GPU时", 1))
    assert text.count("GPU时") == 2 and 'version: "2026.1-gpu"' in text
    return text


@pytest.fixture(params=["卡时", "GPU时"])
def unit(request, users):
    """The run of the 2026 batch, computed with the shipped pack or one whose unit is GPU时."""
    with time_machine.travel(datetime(2026, 5, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        if request.param == "GPU时":
            pack_version_load(gpu_pack_text(), user=users["province"], note="（虚构）GPU时")
        metering_import(SAMPLE, original_name=SAMPLE.name)
        run = subsidy_run(user=users["province"])
        yield request.param, run


def test_run_and_result_pages_name_the_packs_unit(client, login, users, unit):
    name, run = unit
    province = login(client, users["province"])
    page = province.get(reverse("compute:run", args=[run.pk])).content.decode()
    assert f"数量单位：{name}。不计入的作业各归入一个原因" in page
    result = province.get(reverse("compute:result", args=[run.results.get(uscc=HEFEI).pk])).content.decode()
    assert f"数量单位：{name}。</p>" in result
    assert ("卡时" in page + result) == (name == "卡时")


def test_sandbox_form_result_and_workbook_name_the_packs_unit(client, login, users, unit):
    name, _run = unit
    province = login(client, users["province"])
    query = {"parameter": "clause3_ratio", "value": "0.5", "reference_price": "4"}
    page = province.get("/sandbox/", query).content.decode()
    assert f"参考算力单价（元/{name}，仅按比例试算算力补助时填写）" in page
    assert f"算力单价以元/{name}计。" in page
    assert f"平台只有算力补助量（{name}）；按比例试算须假定每{name}的算力费用。" in page
    assert f"参考算力单价 4 元/{name}" in page
    assert ("卡时" in page) == (name == "卡时")
    workbook = load_workbook(io.BytesIO(province.get("/sandbox/export.xlsx", query).content))
    summary = {row[0]: row[1] for row in workbook["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary[f"参考算力单价（元/{name}）"] == 4


def test_english_pages_say_the_unit_in_english(client, login, users, unit):
    name, run = unit
    province = login(client, users["province"])
    client.cookies["django_language"] = "en"
    page = province.get(reverse("compute:run", args=[run.pk])).content.decode()
    sandbox = province.get("/sandbox/", {"parameter": "clause3_ratio", "value": "0.5",
                                         "reference_price": "4"}).content.decode()
    if name == "卡时":
        assert "Unit of quantity: card-hours. Each job not counted" in page
        assert "Reference compute price (yuan per card-hour; only for a proportional trial" in sandbox
        assert "the computing price is in yuan per card-hour." in sandbox
        assert "(card-hours); a ratio trial must assume a computing cost per unit (card-hours)." in sandbox
        assert "Reference computing price 4 yuan per card-hour" in sandbox
    else:  # a word the catalogue does not have is quoted as Chinese
        assert 'Unit of quantity: <span lang="zh-Hans">GPU时</span>. Each job' in page
