"""Chinese phone numbers for contacts: validation, one display form, and masking.

``normalize_phone`` accepts what people type in a contact field — a mobile (13155113928,
+86 131 5511 3928, 131-5511-3928), a landline with its area code (0551-62999803, (0551)62999803,
055162999803) or, for display, a list sharing one area code as the notice writes it
(0551-62626995/62674421) — checks every number with phonenumbers (metadata for region CN) and
returns one display form: mobiles as 11 digits, landlines as ``0area-local``, list items joined with
``/`` and a repeated area code left out. Anything else raises :class:`PhoneError` with a Chinese message.

``mask_phone`` keeps the last four digits of each number: ``****6594``. It never raises.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import PhoneNumberType

from duixian.core.errors import DomainError

_LIST_SEPARATORS = re.compile(r"\s*[/、,，;；]\s*")
_ALLOWED = re.compile(r"^[0-9+\-() ]+$")


class PhoneError(DomainError):
    """A phone number that cannot be used, with a message for the person who typed it."""


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.replace("（", "(").replace("）", ")").replace("—", "-").replace("－", "-").strip()


def _parse_one(item: str, inherited_area: str | None) -> tuple[str, str | None]:
    """Return (display form, area code with leading 0 or None) for one number."""
    if not item:
        raise PhoneError(_("电话号码不能为空"))
    if not _ALLOWED.match(item):
        raise PhoneError(_("电话号码“%(number)s”含有无效字符，只能包含数字、空格、连字符、括号和“+”") % {"number": item})
    digits = re.sub(r"\D", "", item)
    if item.lstrip().startswith("+") and not digits.startswith("86"):
        raise PhoneError(_("电话号码“%(number)s”不是中国大陆号码（应以 +86 开头）") % {"number": item})
    if item.lstrip().startswith("+"):
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if len(digits) in (7, 8) and not digits.startswith("0"):
        if inherited_area is None:
            raise PhoneError(_("固定电话“%(number)s”缺少区号，请写成如 0551-62999803 的形式") % {"number": item})
        digits = inherited_area + digits
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(_("无法识别电话号码“%(number)s”") % {"number": item}) from exc
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        if len(digits) == 11 and digits.startswith("1"):
            raise PhoneError(_("手机号码“%(number)s”无效，请核对号段") % {"number": item})
        raise PhoneError(_("电话号码“%(number)s”无效：手机号码应为11位，固定电话应带区号（如 0551-62999803）") % {"number": item})
    national = str(number.national_number)
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return national, None
    area_len = phonenumbers.length_of_geographical_area_code(number)
    if area_len:
        area = "0" + national[:area_len]
        return f"{area}-{national[area_len:]}", area
    # Non-geographic numbers (400 service lines and the like): national format with hyphens.
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\s+", "-", formatted.strip()), None


def normalize_phone(text: object) -> str:
    """Validate a phone number (or a '/'-list sharing an area code) and return its display form."""
    if not isinstance(text, str) or not text.strip():
        raise PhoneError(_("电话号码不能为空"))
    items = [item for item in _LIST_SEPARATORS.split(_clean(text))]
    if any(not item for item in items):
        raise PhoneError(_("电话号码列表中有空项，请用“/”分隔多个号码，如 0551-62626995/62674421"))
    shown: list[str] = []
    area: str | None = None
    for item in items:
        display, item_area = _parse_one(item, area)
        if shown and item_area is not None and item_area == area:
            display = display[len(item_area) + 1 :]
        shown.append(display)
        area = item_area if item_area is not None else area
    return "/".join(shown)


def mask_phone(text: object) -> str:
    """Mask every digit but the last four of each number in the text: '0551-62626995/62674421' →
    '****6995/****4421'. Numbers of four digits or fewer are masked entirely."""
    if not isinstance(text, str):
        return ""
    parts = _LIST_SEPARATORS.split(_clean(text)) if text.strip() else [""]
    masked = []
    for part in parts:
        digits = re.sub(r"\D", "", part)
        masked.append("****" + digits[-4:] if len(digits) > 4 else "****")
    return "/".join(masked)
