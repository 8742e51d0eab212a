"""统一社会信用代码 check (CONTRACTS §1): valid codes, every kind of invalid, region mapping."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from duixian.codes.uscc import ALPHABET, FIELDS, UsccCheck, check_uscc, make_uscc

CONTRACT_EXAMPLE = "91340100MA2RXH7Q95"


def test_contract_example_is_valid_and_in_hefei():
    result = check_uscc(CONTRACT_EXAMPLE)
    assert result.as_dict() == {
        "uscc": CONTRACT_EXAMPLE, "valid": True, "error": None, "category": "91",
        "region_code": "340100", "city_code": "340100", "city": "合肥市", "in_anhui": True,
    }


def test_as_dict_keys_are_in_contract_order():
    assert list(check_uscc(CONTRACT_EXAMPLE).as_dict()) == [
        "uscc", "valid", "error", "category", "region_code", "city_code", "city", "in_anhui"]
    assert FIELDS == tuple(UsccCheck.__dataclass_fields__)


def test_result_is_frozen():
    result = check_uscc(CONTRACT_EXAMPLE)
    with pytest.raises(AttributeError):
        result.valid = False  # type: ignore[misc]


@pytest.mark.parametrize("body", [
    "91340104MA2TAB3C1", "91340200MA2N0P1X0", "12340000MB1234567", "52341200MJ0000001",
    "91341521MA2RXH7Q9", "Y1340100MA2RXH7Q9", "N2341422MA2RXH7Q9", "A1340100MA2RXH7Q9",
])
def test_made_up_codes_with_computed_check_character_are_valid(body):
    code = body + stdnum_uscc.calc_check_digit(body)
    result = check_uscc(code)
    assert result.valid, result.error
    assert result.error is None
    assert result.category == code[:2]
    assert result.region_code == code[2:8]


def test_make_uscc_appends_check_character():
    assert make_uscc("91340100MA2RXH7Q9") == CONTRACT_EXAMPLE
    with pytest.raises(ValueError):
        make_uscc("91340100MA2RXH7Q")


def test_lower_case_is_accepted_and_upper_cased():
    result = check_uscc(CONTRACT_EXAMPLE.lower())
    assert result.valid
    assert result.uscc == CONTRACT_EXAMPLE


def test_surrounding_whitespace_full_width_and_zero_width_are_normalised():
    assert check_uscc(f"  {CONTRACT_EXAMPLE}\t\n").uscc == CONTRACT_EXAMPLE
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in CONTRACT_EXAMPLE)
    assert check_uscc(full_width).valid
    assert check_uscc("\ufeff" + CONTRACT_EXAMPLE + "\u200b").valid


def _assert_invalid(result, *fragments):
    assert result.valid is False
    assert result.error
    for fragment in fragments:
        assert fragment in result.error, result.error
    # An invalid code says nothing about where it is registered.
    assert (result.category, result.region_code, result.city_code, result.city, result.in_anhui) == (
        None, None, None, None, None)


def test_wrong_check_character_names_the_expected_one():
    wrong = CONTRACT_EXAMPLE[:17] + "4"
    _assert_invalid(check_uscc(wrong), "校验码", "“5”", "“4”")


@pytest.mark.parametrize("position", [8, 11, 16])
def test_single_changed_digit_is_caught_by_the_check_character(position):
    chars = list(CONTRACT_EXAMPLE)
    chars[position] = ALPHABET[(ALPHABET.index(chars[position]) + 1) % len(ALPHABET)]
    assert not check_uscc("".join(chars)).valid


@pytest.mark.parametrize("code,length", [
    (CONTRACT_EXAMPLE[:17], 17), (CONTRACT_EXAMPLE + "1", 19), ("9134", 4), ("913401009", 9)])
def test_wrong_length(code, length):
    _assert_invalid(check_uscc(code), "18位", f"{length}位")


def test_wrong_length_with_inner_spaces_gets_a_hint():
    _assert_invalid(check_uscc("9134 0100 MA2R XH7Q 95"), "18位", "空格")


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_each_excluded_letter_is_named(letter):
    code = CONTRACT_EXAMPLE[:10] + letter + CONTRACT_EXAMPLE[11:]
    _assert_invalid(check_uscc(code), "第11位", f"“{letter}”", "I、O、S、V、Z")


@pytest.mark.parametrize("letter", list("iosvz"))
def test_excluded_letters_in_lower_case_too(letter):
    code = CONTRACT_EXAMPLE[:10] + letter + CONTRACT_EXAMPLE[11:]
    _assert_invalid(check_uscc(code), f"“{letter.upper()}”", "I、O、S、V、Z")


@pytest.mark.parametrize("char", ["-", "*", "中", "#"])
def test_other_characters_outside_the_alphabet(char):
    code = CONTRACT_EXAMPLE[:12] + char + CONTRACT_EXAMPLE[13:]
    _assert_invalid(check_uscc(code), "第13位", "无效字符")


@pytest.mark.parametrize("prefix,fragment", [
    ("0", "第1位"), ("B", "第1位"), ("X", "第1位"),
])
def test_bad_registration_authority(prefix, fragment):
    body = prefix + "1340100MA2RXH7Q9"
    _assert_invalid(check_uscc(body + stdnum_uscc.calc_check_digit(body)), fragment, "登记管理部门")


@pytest.mark.parametrize("pair", ["94", "90", "16", "54", "Y2", "N5"])
def test_category_that_does_not_belong_to_the_authority(pair):
    body = pair + "340100MA2RXH7Q9"
    _assert_invalid(check_uscc(body + stdnum_uscc.calc_check_digit(body)), "第2位", "机构类别")


@pytest.mark.parametrize("region", ["34A100", "990000", "000000", "190000", "340012", "109999"])
def test_bad_region_code(region):
    body = "91" + region + "MA2RXH7Q9"
    _assert_invalid(check_uscc(body + stdnum_uscc.calc_check_digit(body)), "第3–8位", "行政区划")


@pytest.mark.parametrize("value", ["", "   ", None, 91340100, b"91340100MA2RXH7Q95"])
def test_empty_or_not_text(value):
    result = check_uscc(value)
    assert result.valid is False and result.error


def _valid_with_region(region: str) -> UsccCheck:
    result = check_uscc(make_uscc("91" + region + "MA2RXH7Q9"))
    assert result.valid, result.error
    return result


def test_province_level_registration_is_in_anhui_without_city():
    result = _valid_with_region("340000")
    assert (result.in_anhui, result.city_code, result.city) == (True, None, None)


def test_central_registration_is_unknown_province_without_city():
    result = check_uscc(make_uscc("12100000MA2RXH7Q9"))
    assert result.valid
    assert (result.region_code, result.in_anhui, result.city_code, result.city) == ("100000", None, None, None)


@pytest.mark.parametrize("region", ["110108", "320000", "330106", "440300", "810000", "710000"])
def test_other_provinces_are_outside_anhui(region):
    result = _valid_with_region(region)
    assert (result.in_anhui, result.city_code, result.city) == (False, None, None)


@pytest.mark.parametrize("region,city_code,city", [
    ("341521", "340400", "淮南市"),   # 寿县, moved from 六安 in 2015
    ("341402", "340100", "合肥市"),   # 居巢区 of the former 巢湖
    ("341421", "340100", "合肥市"),   # 庐江县
    ("341422", "340200", "芜湖市"),   # 无为县
    ("341423", "340500", "马鞍山市"),  # 含山县
    ("341424", "340500", "马鞍山市"),  # 和县
    ("340823", "340700", "铜陵市"),   # 枞阳县, moved from 安庆
    ("340104", "340100", "合肥市"),
])
def test_anhui_codes_map_to_their_city(region, city_code, city):
    result = _valid_with_region(region)
    assert (result.in_anhui, result.city_code, result.city) == (True, city_code, city)


def test_former_chaohu_prefecture_is_in_anhui_without_city():
    result = _valid_with_region("341400")
    assert (result.in_anhui, result.city_code) == (True, None)


def test_unknown_anhui_code_in_a_city_block_falls_back_to_that_city():
    # 340171: statistical code of 合肥高新区, not part of GB/T 2260.
    result = _valid_with_region("340171")
    assert (result.in_anhui, result.city_code, result.city) == (True, "340100", "合肥市")


def test_unknown_anhui_code_outside_any_city_block_is_valid_without_city():
    result = _valid_with_region("349901")
    assert (result.in_anhui, result.city_code, result.city) == (True, None, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_check_never_raises_on_arbitrary_text(text):
    result = check_uscc(text)
    assert isinstance(result.valid, bool)
    assert result.valid == (result.error is None)
    assert list(result.as_dict()) == list(FIELDS)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET + "IOSVZ", min_size=18, max_size=18))
def test_validity_agrees_with_stdnum_for_numeric_prefixes(code):
    result = check_uscc(code)
    if result.valid and code[:8].isdigit():
        assert stdnum_uscc.is_valid(code)
    if code[:8].isdigit() and not stdnum_uscc.is_valid(code):
        assert not result.valid


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_body_with_the_right_check_character_passes_the_checksum(body):
    result = check_uscc(body + stdnum_uscc.calc_check_digit(body))
    assert result.valid or "校验码" not in (result.error or "")
