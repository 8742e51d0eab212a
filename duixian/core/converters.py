"""Path converters that refuse what cannot name a record, before any view or query runs.

- `<id:pk>`: a database key, a positive 64-bit signed integer. `<int:pk>` also matched
  9223372036854775808 and longer, which reached the database (SQLite: OverflowError, a 500);
  here it does not match, so the answer is 404 like any other unknown record.
- `<city:city_code>`: one of Anhui's 16 current prefecture-level city codes (codes/divisions);
  anything else (a NUL, a 300-character string, 999999) is 404 instead of an empty file.
- `record_ids(values)`: the same rule for keys sent in a form (the ticked rows of a list).

Registered by duixian/urls.py before the apps' URL modules load.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1


def record_ids(values) -> list[int]:
    """The values (ticked rows of a form) that can name a record, as keys; the rest left out
    (`"²".isdigit()` is true but int() refuses it; a 30-digit number overflows SQLite)."""
    ids = []
    for value in values:
        if re.fullmatch(IdConverter.regex, value or "") and int(value) <= MAX_ID:
            ids.append(int(value))
    return ids


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("beyond a 64-bit key")  # no match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class CityCodeConverter:
    regex = "34[0-9]{4}"

    def to_python(self, value: str) -> str:
        from duixian.codes import divisions

        if divisions.city_by_code(value) is None:
            raise ValueError("not an Anhui city")  # no match: 404
        return value

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    from django.urls import register_converter
    from django.urls.converters import get_converters

    if "id" not in get_converters():
        register_converter(IdConverter, "id")
        register_converter(CityCodeConverter, "city")
