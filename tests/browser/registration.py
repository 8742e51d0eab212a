"""The 单位注册 form as a person fills it, shared by the browser journeys that start by registering."""

from __future__ import annotations

from tests.orgs.test_registration import HEFEI_USCC


def fill_registration(page, *, name: str, username: str, password: str, uscc: str = HEFEI_USCC) -> None:
    """Fill every field of /orgs/register/ for a Hefei enterprise and its 经办人; the caller ticks
    the consent (or leaves it, to see the refusal) and presses the button (click or tap)."""
    page.fill("#id_uscc", uscc)
    page.fill("#id_name", name)
    page.select_option("#id_kind", "enterprise")
    page.check("#id_independent_legal_person_0")  # 是
    page.check("#id_agi_enterprise_0")  # 是
    page.fill("#id_address", "合肥市蜀山区望江西路 800 号")
    page.fill("#id_legal_representative", "周立")
    page.fill("#id_contact_phone", "0551-62999803")
    page.fill("#id_username", username)
    page.fill("#id_full_name", "刘敏")
    page.fill("#id_phone", "13155113928")
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
