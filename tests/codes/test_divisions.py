"""The Anhui division table: every row maps to its expected city; the API around it."""

import csv
from importlib import resources

import pytest

from duixian.codes import divisions
from duixian.codes.divisions import CITIES, City, city_by_code, city_for_region, division, is_anhui

EXPECTED_CITIES = [
    ("340100", "合肥市"), ("340200", "芜湖市"), ("340300", "蚌埠市"), ("340400", "淮南市"),
    ("340500", "马鞍山市"), ("340600", "淮北市"), ("340700", "铜陵市"), ("340800", "安庆市"),
    ("341000", "黄山市"), ("341100", "滁州市"), ("341200", "阜阳市"), ("341300", "宿州市"),
    ("341500", "六安市"), ("341600", "亳州市"), ("341700", "池州市"), ("341800", "宣城市"),
]


def _csv_rows():
    text = resources.files("duixian.codes").joinpath("data/anhui_divisions.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


ROWS = _csv_rows()


def test_sixteen_cities_in_code_order():
    assert [(c.code, c.name) for c in CITIES] == EXPECTED_CITIES
    assert all(isinstance(c, City) for c in CITIES)


def test_csv_header_and_statuses():
    assert list(ROWS[0]) == ["code", "name", "city_code", "status", "note"]
    assert {r["status"] for r in ROWS} == {"current", "abolished"}
    assert len({r["code"] for r in ROWS}) == len(ROWS)


def test_current_county_level_divisions_number_104():
    county_level = [r for r in ROWS if r["status"] == "current" and not r["code"].endswith(("00", "01"))]
    assert len(county_level) == 104  # 45 districts, 9 county-level cities, 50 counties


def test_every_city_has_its_shixiaqu_code():
    for code, _ in EXPECTED_CITIES:
        assert city_for_region(code[:4] + "01").code == code


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['code']}-{r['name']}" for r in ROWS])
def test_every_code_maps_to_its_expected_city(row):
    city = city_for_region(row["code"])
    if row["city_code"]:
        assert city is not None and city.code == row["city_code"]
        assert city.name == dict(EXPECTED_CITIES)[row["city_code"]]
    else:
        assert city is None
    assert is_anhui(row["code"])
    assert division(row["code"]).name == row["name"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["status"] == "current" and r["city_code"]],
                         ids=lambda r: r["code"])
def test_current_codes_lie_in_their_city_block(row):
    assert row["code"][:4] == row["city_code"][:4]


@pytest.mark.parametrize("code,city_code", [
    # the former 巢湖 by county
    ("341401", "340100"), ("341402", "340100"), ("341421", "340100"), ("341422", "340200"),
    ("341423", "340500"), ("341424", "340500"),
    # 寿县 and the 2015 铜陵/安庆 changes
    ("341521", "340400"), ("340422", "340400"), ("340823", "340700"), ("340722", "340700"),
    ("340721", "340700"), ("340706", "340700"), ("340702", "340700"), ("340703", "340700"),
    # 芜湖 2020 and 无为
    ("340221", "340200"), ("340210", "340200"), ("340222", "340200"), ("340212", "340200"),
    ("340208", "340200"), ("340203", "340200"), ("340209", "340200"), ("340225", "340200"),
    ("340281", "340200"),
    # county → city or district elsewhere
    ("341822", "341800"), ("341882", "341800"), ("340824", "340800"), ("340882", "340800"),
    ("340821", "340800"), ("340502", "340500"), ("340505", "340500"),
    # 阜阳 counties that went to 亳州 in 2000
    ("341223", "341600"), ("341224", "341600"), ("341227", "341600"), ("341281", "341600"),
    # 1990s 地区 codes
    ("342500", "341800"), ("342900", "341700"), ("342200", "341300"), ("342422", "340400"),
    ("342623", "340200"), ("342601", "340100"),
])
def test_abolished_and_moved_codes(code, city_code):
    assert city_for_region(code).code == city_code


@pytest.mark.parametrize("code", ["341400", "342600", "342100", "342400", "340000"])
def test_codes_without_a_single_successor_city(code):
    assert city_for_region(code) is None
    assert is_anhui(code)


def test_abolished_codes_are_marked():
    for code in ["341400", "341521", "340823", "340221", "340222", "340208", "341822", "340824", "340721"]:
        assert division(code).status == "abolished"
        assert not division(code).current
    for code in ["340422", "340722", "340210", "340212", "340209", "341882", "340882", "340706", "340181"]:
        assert division(code).current


def test_unknown_code_in_a_current_city_block_falls_back():
    assert city_for_region("340171").code == "340100"
    assert city_for_region("341871").code == "341800"
    assert division("340171") is None


def test_unknown_code_outside_city_blocks_has_no_city():
    assert city_for_region("341499") is None  # former 巢湖 block: ambiguous
    assert city_for_region("349901") is None
    assert city_for_region("342199") is None


@pytest.mark.parametrize("value", ["320100", "100000", "3401", "34010A", "", None, 340100, "３４０１００"])
def test_non_anhui_or_malformed_codes_have_no_city(value):
    assert city_for_region(value) is None
    assert not is_anhui(value)


def test_surrounding_whitespace_is_ignored():
    assert city_for_region(" 340100 ").code == "340100"
    assert is_anhui(" 340104\n")


def test_city_by_code():
    assert city_by_code("340200") == City("340200", "芜湖市")
    assert city_by_code("340201") is None
    assert city_by_code("341400") is None


def test_known_provinces():
    assert divisions.is_known_province("340000")
    assert divisions.is_known_province("820000")
    assert not divisions.is_known_province("990000")
    assert not divisions.is_known_province("100000")


def test_current_county_level_divisions_per_city():
    # Counts from the Ministry of Civil Affairs list of 2020-12 (unchanged since for Anhui).
    expected = {"340100": 9, "340200": 7, "340300": 7, "340400": 7, "340500": 6, "340600": 4,
                "340700": 4, "340800": 10, "341000": 7, "341100": 8, "341200": 8, "341300": 5,
                "341500": 7, "341600": 4, "341700": 4, "341800": 7}
    counts = {code: 0 for code in expected}
    for row in ROWS:
        if row["status"] == "current" and not row["code"].endswith(("00", "01")):
            counts[row["city_code"]] += 1
    assert counts == expected
