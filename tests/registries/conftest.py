"""Registry test helpers: valid made-up codes, files built in memory, an import shortcut."""

from __future__ import annotations

import csv
import io

from stdnum.cn import uscc as stdnum_uscc

from duixian.registries.kinds import KINDS


def code(base17: str) -> str:
    """A valid USCC from its first 17 characters."""
    return base17 + stdnum_uscc.calc_check_digit(base17)


HEFEI = "91340100MA2RXH7Q95"  # the 合肥 test organisation (tests/conftest.py)
WUHU = "91340200MA2N8K3L1T"
OTHER = code("91340100MA2BBBB23")
PARK_A = code("91340100MA2DDDD45")
PARK_B = code("91340100MA2EEEE56")
PARK_C = code("91340100MA2FFFF67")


def csv_bytes(kind: str, rows: list[list], header: list[str] | None = None, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or KINDS[kind].headers)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(kind: str, rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(KINDS[kind].headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_rows(kind: str, rows: list[list], user, fmt: str = "csv"):
    from duixian.registries.services import registry_import

    data = csv_bytes(kind, rows) if fmt == "csv" else xlsx_bytes(kind, rows)
    return registry_import(kind, f"{kind}.{fmt}", data, user=user)
