"""统一社会信用代码 (GB 32100-2015) check, as promised in CONTRACTS §1.

``check_uscc`` never raises on text input: every kind of wrong code gets its own Chinese message.
Normalisation: Unicode NFKC (full-width ０-９/Ａ-Ｚ typed with a Chinese IME become ASCII), invisible
format characters (zero-width space, BOM) dropped, surrounding whitespace stripped, upper-cased. Characters inside the code (spaces, hyphens) are not removed.

The check order, first failure wins: empty → length → characters outside the alphabet (I O S V Z named)
→ registration authority / category (positions 1–2) → region code (positions 3–8: six digits of an
existing province, or 100000) → check character (position 18, computed with python-stdnum).

Region decisions (documented in docs/divisions.md):

* 340000 (registered at the province): ``in_anhui`` true, no city;
* 100000 (registered centrally): ``in_anhui`` null, no city;
* other 34xxxx: ``in_anhui`` true, city from the division table; a 34xxxx code the table does not know
  stays valid (the check character is what makes a code valid) with ``city`` null unless it lies in a
  current city's block;
* any other existing province: ``in_anhui`` false, no city.

For an invalid code the derived fields (category, region, city, in_anhui) are all null, so nothing
downstream can mistake a mistyped code for a registration in some city.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from . import divisions

# GB 32100-2015 character set: digits and capital letters except I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
EXCLUDED_LETTERS = "IOSVZ"

# Registration authority (第1位登记管理部门码) → name and its categories (第2位机构类别码).
# GB 32100-2015 附录A with the later additions (外交, 司法行政, 文化, 旅游, 宗教, 工会, 中央军委改革和编制办公室, 农业).
AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": ("司法行政", {"1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构",
                   "5": "仲裁委员会", "9": "其他"}),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"}),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

FIELDS = ("uscc", "valid", "error", "category", "region_code", "city_code", "city", "in_anhui")


@dataclass(frozen=True)
class UsccCheck:
    """The result of one check; ``as_dict()`` is the CONTRACTS §1 JSON object, keys in contract order."""

    uscc: str
    valid: bool
    error: str | None
    category: str | None
    region_code: str | None
    city_code: str | None
    city: str | None
    in_anhui: bool | None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


def normalize_uscc(code: object) -> str:
    """NFKC, strip surrounding whitespace, upper-case. Non-text becomes the empty string."""
    if not isinstance(code, str):
        return ""
    text = unicodedata.normalize("NFKC", code)
    # Invisible format characters (zero-width space, BOM) come with copy-and-paste; drop them.
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.strip().upper()


def _invalid(uscc: str, error: str) -> UsccCheck:
    return UsccCheck(uscc=uscc, valid=False, error=error, category=None, region_code=None,
                     city_code=None, city=None, in_anhui=None)


def _describe_char(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return f"“{ch}”"
    if ch == " ":
        return "空格"
    if ch.isspace():
        return "空白字符"
    return f"不可见字符 U+{ord(ch):04X}"


def _character_error(code: str) -> str | None:
    bad = [(i, ch) for i, ch in enumerate(code, start=1) if ch not in ALPHABET]
    if not bad:
        return None
    where = "、".join(f"第{i}位{_describe_char(ch)}" for i, ch in bad[:5])
    if len(bad) > 5:
        where += f"等{len(bad)}处"
    if any(ch in EXCLUDED_LETTERS for _, ch in bad):
        return (f"统一社会信用代码含有不使用的字符：{where}。代码不使用字母 I、O、S、V、Z"
                "（容易与数字 1、0、5、U、2 混淆），请核对是否把数字抄成了字母")
    return (f"统一社会信用代码含有无效字符：{where}。代码只由数字 0–9 和大写英文字母组成"
            "（不含 I、O、S、V、Z）")


def _authority_error(code: str) -> str | None:
    authority = AUTHORITIES.get(code[0])
    if authority is None:
        return (f"第1位登记管理部门代码“{code[0]}”无效，应为 1–9、A、N、Y 之一"
                "（例如企业为 9，事业单位、机关为 1，社会组织为 5）")
    name, categories = authority
    if code[1] not in categories:
        allowed = "、".join(f"{k}（{v}）" for k, v in categories.items())
        return f"第2位机构类别代码“{code[1]}”与登记管理部门“{name}”（第1位为{code[0]}）不符，应为：{allowed}"
    return None


def _region_error(region: str) -> str | None:
    if not region.isdigit():
        return f"第3–8位登记管理机关行政区划码“{region}”应为6位数字"
    if region == divisions.CENTRAL_CODE:
        return None
    if not divisions.is_known_province(region):
        return f"第3–8位登记管理机关行政区划码“{region}”不是有效的行政区划代码（不存在以“{region[:2]}”开头的省级行政区）"
    if region[2:4] == "00" and region[4:] != "00":
        # e.g. 340012: no division has a county part under a zero city part.
        return f"第3–8位登记管理机关行政区划码“{region}”不是有效的行政区划代码"
    return None


def check_uscc(code: object) -> UsccCheck:
    """Check one 统一社会信用代码 and map its region to an Anhui city (CONTRACTS §1)."""
    uscc = normalize_uscc(code)
    if not uscc:
        return _invalid(uscc, "统一社会信用代码不能为空")
    if len(uscc) != 18:
        hint = ""
        if any(ch.isspace() or ch in "-－—" for ch in uscc):
            hint = "（代码中不应含空格或连字符）"
        return _invalid(uscc, f"统一社会信用代码应为18位，当前为{len(uscc)}位{hint}")
    error = _character_error(uscc) or _authority_error(uscc) or _region_error(uscc[2:8])
    if error:
        return _invalid(uscc, error)

    expected = stdnum_uscc.calc_check_digit(uscc[:17])
    if uscc[17] != expected:
        return _invalid(uscc, f"校验码错误：按 GB 32100 计算第18位应为“{expected}”，实际为“{uscc[17]}”，请核对代码是否抄错")
    if uscc[:8].isdigit():
        # Cross-check with python-stdnum's own validation (it only accepts digits in positions 1–8).
        try:
            stdnum_uscc.validate(uscc)
        except stdnum_exceptions.ValidationError as exc:  # pragma: no cover - would be a disagreement
            return _invalid(uscc, f"统一社会信用代码无效（{exc.message}）")

    region = uscc[2:8]
    if region == divisions.CENTRAL_CODE:
        in_anhui: bool | None = None
        city = None
    elif divisions.is_anhui(region):
        in_anhui = True
        city = divisions.city_for_region(region)
    else:
        in_anhui = False
        city = None
    return UsccCheck(
        uscc=uscc, valid=True, error=None, category=uscc[:2], region_code=region,
        city_code=city.code if city else None, city=city.name if city else None, in_anhui=in_anhui,
    )


def make_uscc(prefix17: str) -> str:
    """Append the GB 32100 check character to 17 characters (handy for tests and demo data)."""
    body = normalize_uscc(prefix17)
    if len(body) != 17 or any(ch not in ALPHABET for ch in body):
        raise ValueError("需要17位由统一社会信用代码字符组成的本体码")
    return body + stdnum_uscc.calc_check_digit(body)
