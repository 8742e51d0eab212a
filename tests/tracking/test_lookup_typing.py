"""The lookup takes the code and the number as people type them: with a Chinese input method
(full-width ９１３４… and －), or pasted with an invisible zero-width space, like registration does."""

from __future__ import annotations

import unicodedata

from django.test import Client
from django.urls import reverse

USCC = "91340100MA2RXH7Q95"


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_a_full_width_code_and_number_find_the_application(recommended):
    app = recommended[0]
    reference, code = _full_width(app.reference), _full_width(USCC)
    assert unicodedata.normalize("NFKC", code) == USCC and reference != app.reference
    page = Client().get(reverse("tracking:lookup"), {"reference": reference, "uscc": code}).content.decode()
    assert 'id="status-result"' in page and "医院影像辅助诊断大模型应用" in page


def test_a_pasted_code_with_an_invisible_space_finds_the_application(recommended):
    app = recommended[0]
    page = Client().get(reverse("tracking:lookup"), {
        "reference": app.reference + "\u200b", "uscc": "\ufeff" + USCC[:9] + "\u200b" + USCC[9:]}).content.decode()
    assert 'id="status-result"' in page
