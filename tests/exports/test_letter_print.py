"""推荐函 on paper (GB/T 9704-2012 layout), checked through python-docx."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from duixian.core.clock import SHANGHAI
from duixian.exports.letter import letter_docx
from duixian.exports.summary import SummaryData, SummaryRow

pytestmark = pytest.mark.django_db  # the letter reads the policy pack


def data(n: int) -> SummaryData:
    rows = tuple(SummaryRow(i, f"项目{i}", "2.促进垂类模型应用", Decimal("24.00"), "张晓明 13155113928", clause="2")
                 for i in range(1, n + 1))
    return SummaryData(city_code="340100", bureau="合肥市科技局", contact_line="0551-63538227",
                       title="兑现申报（汇总）表", header_labels=("归口管理部门（盖章）：", "联系人及联系方式："),
                       columns=("序号", "项目名称", "依据政策条款", "拟申请兑现金额（万元）", "项目联系人及联系方式"),
                       rows=rows, as_of=datetime(2026, 4, 28, 10, 0, tzinfo=SHANGHAI))


def letter(n: int = 2) -> Document:
    return Document(io.BytesIO(letter_docx(data(n), issued_on=date(2026, 5, 6))))


def test_letter_page_is_a4_portrait_with_official_document_margins_and_lines():
    doc = letter()
    section = doc.sections[0]
    mm = [round(x / Mm(1)) for x in (section.page_width, section.page_height, section.top_margin, section.left_margin)]
    assert mm == [210, 297, 37, 28]
    spacing = doc.styles["Normal"].paragraph_format
    assert spacing.line_spacing_rule == WD_LINE_SPACING.EXACTLY and spacing.line_spacing == Pt(28)
    assert doc.styles["Normal"].font.size == Pt(16)  # 三号
    footer = section.footer._element.xml
    assert "PAGE" in footer and section.footer.paragraphs[0].text == "— 1 —"


def test_seal_space_name_centred_over_the_date_four_characters_from_the_right():
    doc = letter()
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("\t合肥市科技局（盖章）")
    name, day = doc.paragraphs[at], doc.paragraphs[at + 1]
    assert day.text == "\t2026年5月6日"  # 成文日期 in Arabic numerals, like the notice's own date
    assert texts[at - 2:at] == ["", ""]  # two empty lines for the seal
    assert texts[at - 3] == "附件：兑现申报（汇总）表"
    stop = day.paragraph_format.tab_stops[0]
    assert stop.alignment == WD_TAB_ALIGNMENT.CENTER
    assert name.paragraph_format.tab_stops[0].position == stop.position
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    date_width = Pt(6 * 8 + 3 * 16)  # six half-width digits and 年月日
    assert abs(text_width - Pt(4 * 16) - date_width / 2 - stop.position) < Pt(1)


def test_seal_never_lands_on_a_page_of_its_own():
    doc = letter(40)
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("我局对推荐项目"))
    end = texts.index("\t2026年5月6日")
    assert all(doc.paragraphs[i].paragraph_format.keep_with_next for i in range(start, end))
