"""The notice page shows the chosen batch's notice, from its pack (issue 18: one notice = one file).

The 2026 pack carries the published notice (`notice_text`); the page and its plain-text download
give it byte for byte as before. With a second batch loaded, `?batch=` picks whose notice is shown;
a batch whose pack carries no full text says so and points to its sentences (policy:notice)."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

import pytest
from django.urls import reverse

from duixian.policy.active import current_pack
from duixian.policy.pack import DEFAULT_PACK_PATH, PackError, load_pack_text
from duixian.policy.services import pack_version_load
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db

# sha256 of the 2026 notice as published (the former policy/packs/anhui-2026-notice.txt)
NOTICE_2026_SHA256 = "40578fe240bf7d8163482dbd4acc6dc41649436927e3a5fee6b3392acdafdd99"
FULL = Path(__file__).resolve().parents[1] / "policy" / "packs" / "made-up-2027-full.yaml"
NEW = "made-up-2027-full"
MADE_UP_NOTICE = "虚构的发文单位\n\n关于开展（虚构）2027 年度人才培训政策兑现申报的通知\n\n一、虚构条文。"


def _with_notice(text: str) -> str:
    block = "notice_text: |-\n" + "".join(f"  {line}\n" if line else "\n" for line in MADE_UP_NOTICE.split("\n"))
    return text.replace("\nwindows:", f"\n{block}\nwindows:", 1)


def test_2026_page_and_download_are_the_published_notice(client):
    download = client.get(reverse("core:notice_text"))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(download.content).hexdigest() == NOTICE_2026_SHA256
    page = client.get(reverse("core:notice")).content.decode()
    text = download.content.decode("utf-8")
    assert f'<div class="notice-text" lang="zh-Hans">{html.escape(text)}</div>' in page
    assert "以下为安徽省科学技术厅发布的通知原文。" in page and 'id="batch-selector"' not in page


@pytest.fixture
def two_batches(users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)

    def load(text):
        pack_version_load(text, user=users["province"], note="（虚构）人才培训")
        assert current_pack().batch_id == NEW  # both open: the one opened last is the default
    return load


def test_each_batch_shows_its_own_notice(client, two_batches):
    two_batches(_with_notice(FULL.read_text(encoding="utf-8")))
    page = client.get(reverse("core:notice")).content.decode()  # the default batch: the one opened last
    assert html.escape(MADE_UP_NOTICE) in page and "以下为虚构的发文单位发布的通知原文。" in page
    assert 'id="batch-selector"' in page and "安徽省科学技术厅\n\n关于开展 2026 年度" not in page
    assert client.get(reverse("core:notice_text"), {"batch": NEW}).content.decode("utf-8") == MADE_UP_NOTICE
    old = client.get(reverse("core:notice"), {"batch": "anhui-agi-2.0-2026"}).content.decode()
    assert "安徽省科学技术厅\n\n关于开展 2026 年度" in old and html.escape(MADE_UP_NOTICE) not in old
    assert f'{reverse("core:notice_text")}?batch=anhui-agi-2.0-2026' in old
    download = client.get(reverse("core:notice_text"), {"batch": "anhui-agi-2.0-2026"})
    assert hashlib.sha256(download.content).hexdigest() == NOTICE_2026_SHA256


def test_a_batch_without_the_full_text_points_to_its_sentences(client, two_batches):
    two_batches(FULL.read_text(encoding="utf-8"))
    page = client.get(reverse("core:notice"), {"batch": NEW}).content.decode()
    assert "本批次的政策包没有附通知全文" in page and f'{reverse("policy:notice")}?batch={NEW}' in page
    assert "安徽省科学技术厅\n\n关于开展 2026 年度" not in page
    assert client.get(reverse("core:notice_text"), {"batch": NEW}).status_code == 404


def test_a_stored_2026_version_without_the_text_keeps_the_published_notice(client, users, time_machine):
    time_machine.move_to(at("2026-04-22 09:00:00"), tick=False)
    shipped = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    start = shipped.index("\nnotice_text:")
    end = shipped.index("\nsentences:")
    older = shipped[:start] + shipped[end:]
    pack_version_load(older.replace('version: "2026.1"', 'version: "2026.1-stored"', 1), user=users["province"],
                      note="stored before notice_text")
    download = client.get(reverse("core:notice_text"))
    assert hashlib.sha256(download.content).hexdigest() == NOTICE_2026_SHA256


def test_pack_check_names_a_notice_text_that_is_not_text():
    text = FULL.read_text(encoding="utf-8").replace("\nwindows:", "\nnotice_text: [1, 2]\nwindows:", 1)
    with pytest.raises(PackError) as refused:
        load_pack_text(text, "bad.yaml")
    assert [p.place for p in refused.value.problems] == ["notice_text"]


def test_english_page_names_the_issuer_in_english(client):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:notice")).content.decode()
    assert "issued by the Anhui Provincial Department of Science and Technology." in page


def test_with_several_batches_the_home_page_links_each_batchs_notice(client, two_batches):
    assert f'{reverse("core:notice")}?batch=' not in client.get(reverse("core:home")).content.decode()
    two_batches(FULL.read_text(encoding="utf-8"))
    home = client.get(reverse("core:home")).content.decode()
    for batch_id in ("anhui-agi-2.0-2026", NEW):
        assert f'href="{reverse("core:notice")}?batch={batch_id}"' in home


def test_a_new_version_with_another_notice_text_says_so_before_it_is_confirmed():
    from duixian.policy.diff import pack_diff
    from duixian.policy.pack import default_pack

    shipped = DEFAULT_PACK_PATH.read_text(encoding="utf-8")
    edited = shipped.replace('version: "2026.1"', 'version: "2026.9"', 1).replace(
        "  各市科技局，有关单位：", "  各市科技局、有关单位：", 1)
    assert edited.count("各市科技局、有关单位：") == 1
    changes = {(c["section"], c["key"]): c for c in pack_diff(default_pack(), load_pack_text(edited))}
    text = changes[("batch", "notice_text")]
    assert text["label"] == "通知全文" and text["section_label"] == "批次"
    assert text["old"] == f"{len(default_pack().notice_text)} 字" and text["new"].endswith("字（已修改）")
    assert ("batch", "notice_text") not in {(c["section"], c["key"]) for c in pack_diff(default_pack(), default_pack())}
