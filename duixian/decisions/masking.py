"""Masking personal data for anything the public sees (公示 page and its xlsx).

Phones keep their last four digits as in 附件2 (****6594) via duixian.core.phone.mask_phone;
personal names keep their first and last character (张*明, 李*, 欧阳**娜).
"""

from __future__ import annotations

from duixian.core.phone import mask_phone


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_contact(name: str, phone: str) -> str:
    """The 项目联系人及联系方式 cell, masked: 张*明 ****3928."""
    parts = [mask_name(name), mask_phone(phone) if (phone or "").strip() else ""]
    return " ".join(p for p in parts if p)
