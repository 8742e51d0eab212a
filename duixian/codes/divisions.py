"""Anhui's administrative divisions (GB/T 2260) and the prefecture-level city each code maps to today.

The table lives in ``data/anhui_divisions.csv`` (sources and decisions: ``docs/divisions.md``). It
holds every current code of the province (the 16 cities, their 市辖区 codes and all 104 county-level
divisions) and the codes retired since 1995 together with the city that took their territory over:
the former 巢湖 3414xx by county, 寿县 341521 → 淮南, 枞阳 340823 → 铜陵, and so on.

Lookup rules of :func:`city_for_region`:

1. a code listed in the table maps to its ``city_code`` (``None`` where no single city follows: the
   province 340000, the former prefectures 巢湖 341400, 巢湖地区 342600, 阜阳地区 342100 and
   六安地区 342400, whose territory is now split between cities);
2. an unlisted code inside a current city's block (``34CCxx`` where ``34CC00`` is one of the 16 cities)
   maps to that city. New codes are always allocated inside the city's own block and every code that
   ever left its block is listed, so this covers e.g. the statistical codes of development zones
   (合肥高新区 and the like) that are not part of GB/T 2260;
3. anything else maps to ``None``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

PROVINCE_CODE = "340000"
CENTRAL_CODE = "100000"

# Province-level codes of GB/T 2260 (the first two digits of a valid division code).
PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


@dataclass(frozen=True)
class City:
    """A prefecture-level city of Anhui (设区的市)."""

    code: str
    name: str


@dataclass(frozen=True)
class Division:
    """One row of the division table."""

    code: str
    name: str
    city_code: str | None
    status: str  # "current" | "abolished"
    note: str

    @property
    def current(self) -> bool:
        return self.status == "current"


def _read_table() -> tuple[Division, ...]:
    text = resources.files("duixian.codes").joinpath("data/anhui_divisions.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines):
        rows.append(
            Division(
                code=rec["code"].strip(),
                name=rec["name"].strip(),
                city_code=rec["city_code"].strip() or None,
                status=rec["status"].strip(),
                note=(rec.get("note") or "").strip(),
            )
        )
    return tuple(rows)


DIVISIONS: tuple[Division, ...] = _read_table()
_BY_CODE: dict[str, Division] = {d.code: d for d in DIVISIONS}

# The 16 prefecture-level cities, ordered by code.
CITIES: tuple[City, ...] = tuple(
    City(d.code, d.name)
    for d in sorted(DIVISIONS, key=lambda d: d.code)
    if d.current and d.code.endswith("00") and d.code != PROVINCE_CODE
)
_CITY_BY_CODE: dict[str, City] = {c.code: c for c in CITIES}


def _check_table() -> None:
    # Cheap self-check at import: a broken data file must fail loudly, not map codes wrongly.
    if len(_BY_CODE) != len(DIVISIONS):
        raise ValueError("anhui_divisions.csv: duplicate codes")
    if len(CITIES) != 16:
        raise ValueError(f"anhui_divisions.csv: expected 16 current cities, found {len(CITIES)}")
    for d in DIVISIONS:
        if len(d.code) != 6 or not d.code.isdigit() or not d.code.startswith("34"):
            raise ValueError(f"anhui_divisions.csv: bad code {d.code!r}")
        if d.status not in ("current", "abolished"):
            raise ValueError(f"anhui_divisions.csv: bad status for {d.code}")
        if d.city_code is not None and d.city_code not in _CITY_BY_CODE:
            raise ValueError(f"anhui_divisions.csv: {d.code} maps to unknown city {d.city_code}")


_check_table()


def _clean(region_code: object) -> str | None:
    if not isinstance(region_code, str):
        return None
    code = region_code.strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return None
    return code


def is_anhui(region_code: object) -> bool:
    """True for any 6-digit code of Anhui (34xxxx), listed or not."""
    code = _clean(region_code)
    return code is not None and code.startswith("34")


def division(region_code: object) -> Division | None:
    """The table row of a code, or ``None`` if it is not listed."""
    code = _clean(region_code)
    return _BY_CODE.get(code) if code else None


def city_by_code(city_code: object) -> City | None:
    """One of the 16 cities by its own code (340100 …), else ``None``."""
    code = _clean(city_code)
    return _CITY_BY_CODE.get(code) if code else None


def city_for_region(region_code: object) -> City | None:
    """The prefecture-level city an Anhui division code belongs to today (see the module doc)."""
    code = _clean(region_code)
    if code is None or not code.startswith("34"):
        return None
    row = _BY_CODE.get(code)
    if row is not None:
        return _CITY_BY_CODE.get(row.city_code) if row.city_code else None
    return _CITY_BY_CODE.get(code[:4] + "00")


def is_known_province(region_code: object) -> bool:
    """True when the first two digits name a province-level division of GB/T 2260."""
    code = _clean(region_code)
    return code is not None and code[:2] in PROVINCE_PREFIXES


# ---- a picker of the cities and counties (clause 四's 签约地市或县区) ----------------------------

OUTSIDE_ANHUI = "outside"  # the picker's "not in Anhui" answer: no code, and never in Anhui


@lru_cache(maxsize=1)
def region_choices() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The current cities and their county-level divisions, grouped by city, the code as value:
    (("合肥市", (("340100", "合肥市（市本级）340100"), ("340102", "瑶海区 340102"), …)), …).
    The 市辖区 placeholder codes (xx01) and abolished codes are not offered."""
    groups = []
    for city in CITIES:
        options = [(city.code, f"{city.name}（市本级）{city.code}")]
        options += [(d.code, f"{d.name} {d.code}") for d in sorted(DIVISIONS, key=lambda d: d.code)
                    if d.current and d.city_code == city.code and d.code != city.code and d.name != "市辖区"]
        groups.append((city.name, tuple(options)))
    return tuple(groups)


@lru_cache(maxsize=1)
def region_codes() -> frozenset[str]:
    """Every code the picker offers."""
    return frozenset(code for _city, options in region_choices() for code, _label in options)


def region_label(code: object) -> str | None:
    """"合肥市 蜀山区（340104）" for a code the picker offers, else None."""
    clean = _clean(code)
    if clean is None or clean not in region_codes():
        return None
    row = _BY_CODE[clean]
    city = _CITY_BY_CODE[row.city_code]
    return f"{city.name}（{clean}）" if clean == city.code else f"{city.name} {row.name}（{clean}）"
