"""政策解读与问答 with two batches open at once (issue 18): `?batch=` picks the notice whose clauses,
quoted sentences and 解读 the pages show, as on every other per-batch page; links keep it."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from duixian.guidance.models import Interpretation
from duixian.guidance.services import interpretation_save
from duixian.policy.active import current_pack, pack_of
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at

FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
OLD, NEW = "anhui-agi-2.0-2026", "made-up-2027-full"

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_batches(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    pack_version_load(FULL.read_text(encoding="utf-8"), user=users["province"], note="（虚构）人才培训")
    assert current_pack().batch_id == NEW  # both open: the one opened last is the default
    interpretation_save(pack_of(OLD), 2, body="2026年的第二条解读。", user=users["province"])
    interpretation_save(pack_of(NEW), 6, body="人才培训补助按培训费用计算。", user=users["province"])


def test_the_index_lists_the_chosen_batchs_clauses_and_links_keep_the_batch(two_batches):
    new = Client().get(reverse("guidance:index")).content.decode()
    assert "支持人工智能人才培训" in new and 'id="batch-selector"' in new
    old = Client().get(reverse("guidance:index"), {"batch": OLD}).content.decode()
    assert "支持人工智能人才培训" not in old and "促进垂类模型应用（通用人工智能场景应用标杆）" in old
    assert f'href="{reverse("guidance:clause", args=[2])}?batch={OLD}"' in old


def test_a_clause_page_quotes_its_own_batchs_notice_and_reading(two_batches):
    six = Client().get(reverse("guidance:clause", args=[6]), {"batch": NEW}).content.decode()
    assert "年度培训人工智能人才不少于50人。" in six and "人才培训补助按培训费用计算。" in six
    assert Client().get(reverse("guidance:clause", args=[6]), {"batch": OLD}).status_code == 404
    old_two = Client().get(reverse("guidance:clause", args=[2]), {"batch": OLD}).content.decode()
    new_two = Client().get(reverse("guidance:clause", args=[2]), {"batch": NEW}).content.decode()
    assert "2026年的第二条解读。" in old_two and "2026年的第二条解读。" not in new_two
    assert "场景服务用户不少于1000人。" in new_two and "场景服务用户不少于1000人。" not in old_two


def test_the_search_answers_from_the_chosen_batch_with_links_into_it(two_batches):
    new = Client().get(reverse("guidance:search"), {"q": "培训多少人才能申报", "batch": NEW}).content.decode()
    assert "年度培训人工智能人才不少于50人。" in new and f"?batch={NEW}#s-6.a" in new
    assert f'name="batch" value="{NEW}"' in new  # the next question stays in this batch
    old = Client().get(reverse("guidance:search"), {"q": "培训多少人才能申报", "batch": OLD}).content.decode()
    assert "年度培训人工智能人才不少于50人。" not in old
    notice = Client().get(reverse("policy:notice"), {"batch": NEW}).content.decode()
    assert 'id="s-6.a"' in notice


def test_the_province_edits_the_chosen_batchs_reading(two_batches, users, client, login):
    login(client, users["province"])
    url = reverse("guidance:edit", args=[2]) + f"?batch={NEW}"
    response = client.post(url, {"body": "2027年的第二条解读。", "note": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"?batch={NEW}")
    assert Interpretation.objects.filter(batch_id=NEW, clause="2").count() == 1
    assert Interpretation.objects.filter(batch_id=OLD, clause="2").count() == 1  # 2026's untouched
