"""Several batches at once (issue 18 item 2): a second notice loaded through the province's page
runs beside the 2026 batch, and each batch keeps its own pack, windows and data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duixian.policy.active import batches, current_pack, open_batches, pack_of
from duixian.policy.models import PackVersion
from duixian.policy.pack import default_pack
from tests.applications.conftest import at

pytestmark = pytest.mark.django_db

SECOND = Path(__file__).parent / "packs" / "made-up-2027.yaml"
SHIPPED_BATCH = default_pack().batch_id


def load_second(client, login, province):
    """The province uploads the made-up 2027 notice, reads the preview and confirms it."""
    login(client, province)
    text = SECOND.read_text(encoding="utf-8")
    preview = client.post("/policy/versions/", {
        "note": "（虚构）2027年度通知",
        "file": SimpleUploadedFile("made-up-2027.yaml", text.encode("utf-8"), content_type="application/yaml"),
    })
    assert preview.status_code == 200, preview.content.decode()
    page = preview.content.decode()
    assert "这是一个新批次（made-up-2027）" in page
    confirm = client.post("/policy/versions/confirm/", {
        "yaml_text": text, "digest": preview.context["preview"].pack.digest, "note": "（虚构）2027年度通知",
    })
    assert confirm.status_code == 302
    return confirm


def test_a_second_notice_loaded_through_the_page_runs_beside_the_2026_batch(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])

    assert [p.batch_id for p in batches()] == [SHIPPED_BATCH, "made-up-2027"]
    assert pack_of("made-up-2027").version == "2027.1-test"
    assert pack_of(SHIPPED_BATCH) is default_pack()  # the 2026 batch still runs on its own pack
    assert PackVersion.objects.get(batch_id="made-up-2027").is_active
    # In April 2026 the 2026 batch is the one taking applications, and the default.
    assert [p.batch_id for p in open_batches(at("2026-04-20 10:00:00"))] == [SHIPPED_BATCH]
    assert current_pack().batch_id == SHIPPED_BATCH

    page = client.get("/policy/versions/").content.decode()
    assert 'data-batch="anhui-agi-2.0-2026"' in page and 'data-batch="made-up-2027"' in page


def test_the_default_batch_follows_the_platform_clock(client, login, users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    load_second(client, login, users["province"])
    time_machine.move_to(at("2026-12-01 10:00:00"), tick=False)  # between the two: the last opened
    assert current_pack().batch_id == SHIPPED_BATCH and open_batches(at("2026-12-01 10:00:00")) == []
    time_machine.move_to(at("2027-03-10 10:00:00"), tick=False)
    assert current_pack().batch_id == "made-up-2027"
    assert [p.batch_id for p in open_batches(at("2027-03-10 10:00:00"))] == ["made-up-2027"]
    time_machine.move_to(at("2027-03-31 18:00:00"), tick=False)  # the closing instant is closed
    assert open_batches(at("2027-03-31 18:00:00")) == []
