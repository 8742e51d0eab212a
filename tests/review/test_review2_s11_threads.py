"""Reviewer probe: kept work-list rows, section fields and answers written from several threads
at once, each in its own language and time zone, equal what one thread writes afresh."""

from __future__ import annotations

import threading
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from duixian.applications import policy_bridge
from duixian.core import memos
from duixian.review.selectors import WorklistRow
from duixian.review.templatetags import worklist
from duixian.review.templatetags.worklist import RowWriter, worklist_rows

pytestmark = pytest.mark.django_db
H = "<script>\"'&amp;"


def _row(i, batch_id) -> WorklistRow:
    values = dict(batch_id=batch_id, pk=i, reference=f"DX-{i}", state="submitted" if i % 2 else "returned",
                  project_name=f"项目{H}{i % 7}", clause="2", application_type="",
                  amount_requested_wan=[Decimal("1"), 1, 1.0, True, Decimal("1.0"), None][i % 6],
                  first_submitted_at=datetime(2026, 4, 21, 1, i % 60, tzinfo=dt_timezone.utc),
                  organisation_name=["", None, f"单位{H}"][i % 3], snapshot_status=["eligible", None, ""][i % 3])
    return WorklistRow(*(values[name] for name in WorklistRow.__slots__))


def test_rows_from_many_threads(monkeypatch):
    monkeypatch.setattr(worklist, "_ROWS", memos.text_memo(64))  # small: eviction while others read
    batch = policy_bridge.get_pack().batch_id
    rows = [_row(i, batch) for i in range(120)]
    args = ("/review/", "选择", "n月j日 H:i")
    expected = {}
    for language in ("zh-hans", "en"):
        for zone in ("Asia/Shanghai", "UTC"):
            with translation.override(language), timezone.override(zone):
                expected[language, zone] = "".join(RowWriter(*args).row(r) for r in rows)
    failures = []

    def run(language, zone):
        try:
            for _ in range(15):
                with translation.override(language), timezone.override(zone):
                    got = str(worklist_rows(rows, *args))
                if got != expected[language, zone]:
                    failures.append((language, zone))
        except Exception as exc:  # noqa: BLE001
            failures.append(repr(exc))

    threads = [threading.Thread(target=run, args=key) for key in expected for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
