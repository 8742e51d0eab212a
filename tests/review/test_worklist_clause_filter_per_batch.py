"""The work list's 依据政策条款 filter offers the chosen batch's clauses, in that pack's names: with
the made-up full notice open beside 2026 (it is then the default batch), the 2026 list still
filters by 第五条 and the made-up list by its 第六条."""

import re
from pathlib import Path

import pytest

from duixian.policy.services import pack_version_load_file

from .conftest import at, signin

pytestmark = pytest.mark.django_db

FULL = Path(__file__).parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"


def clause_filter(page: str) -> dict[str, str]:
    select = page.split('name="clause"')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def test_each_batchs_list_filters_by_its_own_clauses(client, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)  # both batches take applications
    pack_version_load_file(FULL)
    signin(client, users["hefei_clerk"])
    shipped = clause_filter(client.get("/review/?batch=anhui-agi-2.0-2026").content.decode())
    assert list(shipped) == ["2", "4", "5"] and shipped["5"].startswith("第五条")
    made_up = clause_filter(client.get("/review/?batch=made-up-2027-full").content.decode())
    assert list(made_up) == ["2", "4", "6"] and made_up["6"] == "虚构第六条 支持人才培训"
    assert client.get("/review/?batch=anhui-agi-2.0-2026&clause=5").status_code == 200
