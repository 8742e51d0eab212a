"""The work list's rows kept per everything a row shows (review/templatetags/worklist.py
_ROWS): each the same bytes as the row writer writes afresh, and never a stale row."""

from __future__ import annotations

import copy

import pytest
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal

from django.test import override_settings
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.review.selectors import WorklistRow
from duixian.review.templatetags import worklist
from duixian.review.templatetags.worklist import RowWriter, worklist_rows

HOSTILE = "<script>\"'&amp;"
pytestmark = pytest.mark.django_db


def _row(**changes) -> WorklistRow:
    values = dict(batch_id=policy_bridge.get_pack().batch_id, pk=7, reference="DX2026-340100-000007", state="submitted", project_name=f"项目{HOSTILE}", clause="2",
                  application_type="", amount_requested_wan=Decimal("24.00"),
                  first_submitted_at=datetime(2026, 4, 21, 1, 5, tzinfo=dt_timezone.utc),
                  organisation_name=f"单位{HOSTILE}", snapshot_status="eligible")
    values.update(changes)
    return WorklistRow(*(values[name] for name in WorklistRow.__slots__))


def _both(rows):
    args = ("/review/", "选择", "n月j日 H:i")
    fresh = "".join(RowWriter(*args).row(row) for row in rows)
    return str(worklist_rows(rows, *args)), fresh


def test_kept_rows_are_written_rows_and_follow_every_value():
    variants = [_row(), _row(state="recommended"), _row(project_name="改名<b>"), _row(amount_requested_wan=Decimal("24.0")),
                _row(amount_requested_wan=None), _row(snapshot_status="ineligible"), _row(snapshot_status=None),
                _row(first_submitted_at=datetime(2026, 4, 21, 1, 6, tzinfo=dt_timezone.utc)), _row(reference=None),
                _row(organisation_name="别的单位"), _row(pk=8), _row(snapshot_status={"odd": "json"})]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for _ in range(2):  # written, then kept
                for row in variants:
                    kept, fresh = _both([row])
                    assert kept == fresh, (language, row.state, row.project_name)
            kept, fresh = _both(variants)
            assert kept == fresh and "<script>" not in kept and "&lt;script&gt;" in kept
    with translation.override("zh-hans"):
        zh = _both([_row()])[0]
    with translation.override("en"):
        assert _both([_row()])[0] != zh
    assert len({_both([row])[0] for row in variants}) == len({_both([row])[1] for row in variants}) >= 10


def test_another_pack_in_force_writes_the_row_again(monkeypatch):
    row = _row()
    _both([row])
    kept = len(worklist._ROWS)
    other = copy.copy(policy_bridge.batch_pack(row.batch_id))
    monkeypatch.setattr(policy_bridge, "batch_pack", lambda batch_id: other)
    assert _both([row])[0] == _both([row])[1]
    assert len(worklist._ROWS) == kept + 1


def test_a_setting_change_forgets_the_rows():
    _both([_row()])
    assert worklist._ROWS
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert not worklist._ROWS
