"""The audit trail as CSV or xlsx for the audit administrator (the export itself is audited)."""

from __future__ import annotations

import io
import json

from duixian.core import spreadsheets
from duixian.core.clock import SHANGHAI

HEADER = ["序号", "时间（北京时间）", "用户", "角色", "单位ID", "地市", "IP 地址", "操作", "对象类型", "对象", "结果", "详情", "哈希"]


def _safe(value) -> str:
    """Defuse spreadsheet formulas and control characters: a failed-login username is typed by
    anyone (CSV injection; `ctl\\x01user` would make the xlsx unwritable)."""
    return spreadsheets.safe_text(value)


def rows(events):
    for e in events.iterator(chunk_size=2000):
        yield [e.seq, e.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"), _safe(e.username), e.role_label,
               e.organisation_id or "", e.city_code, e.ip, _safe(e.action), e.object_type, _safe(e.object_id), e.outcome_label,
               _safe(json.dumps(e.detail, ensure_ascii=False, sort_keys=True)), e.hash]


def as_csv(events) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer, numeric=(0,))
    writer.writerow(HEADER)
    writer.writerows(rows(events))
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def as_xlsx(events) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(HEADER)
    for row in rows(events):
        spreadsheets.append(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
