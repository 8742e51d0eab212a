"""Contact phone numbers: normalisation to one display form, Chinese errors, masking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duixian.core.phone import PhoneError, mask_phone, normalize_phone


@pytest.mark.parametrize("text,expected", [
    ("13155113928", "13155113928"),
    ("131-5511-3928", "13155113928"),
    ("+86 131 5511 3928", "13155113928"),
    ("008613155113928", "13155113928"),
    (" 13155113928 ", "13155113928"),
    ("0551-62999803", "0551-62999803"),
    ("(0551)62999803", "0551-62999803"),
    ("（0551）62999803", "0551-62999803"),
    ("055162999803", "0551-62999803"),
    ("0551 6299 9803", "0551-62999803"),
    ("010-66666666", "010-66666666"),
    ("0551-62626995/62674421", "0551-62626995/62674421"),
    ("0551-62626995、0551-62674421", "0551-62626995/62674421"),
    ("0551-62626995 / 62674421", "0551-62626995/62674421"),
    ("13155113928/0551-62999803", "13155113928/0551-62999803"),
])
def test_normalize(text, expected):
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ("", "不能为空"),
    ("62999803", "缺少区号"),
    ("12345678901", "手机号码"),
    ("1315511392", "无效"),
    ("0551-6299980", "无效"),
    ("电话0551", "无效字符"),
    ("+1 415 555 2671", "+86"),
    ("0551-62626995//62674421", "空项"),
])
def test_invalid_numbers_have_chinese_messages(text, fragment):
    with pytest.raises(PhoneError) as info:
        normalize_phone(text)
    assert fragment in str(info.value)


def test_not_text_is_an_error():
    with pytest.raises(PhoneError):
        normalize_phone(None)


@pytest.mark.parametrize("text,expected", [
    ("13155113928", "****3928"),
    ("0551-62999803", "****9803"),
    ("0551-62626995/62674421", "****6995/****4421"),
    ("0551-6594", "****6594"),
    ("123", "****"),
    ("", "****"),
])
def test_mask_keeps_only_last_four_digits(text, expected):
    assert mask_phone(text) == expected


def test_mask_of_not_text_is_empty():
    assert mask_phone(None) == ""


@given(st.text(max_size=40))
def test_normalize_raises_only_phone_error_and_mask_never_raises(text):
    try:
        normalize_phone(text)
    except PhoneError:
        pass
    masked = mask_phone(text)
    assert isinstance(masked, str)
    digits_shown = [ch for ch in masked if ch.isdigit()]
    assert len(digits_shown) <= 4 * (masked.count("/") + 1)
