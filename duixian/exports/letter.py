"""推荐函: the city bureau's covering letter to 省科技厅 for its recommended applications.

It states the city, how many applications it recommends under each clause and for how much,
the total, the contact, the date and leaves room for the seal. The figures come from the same
`summary_data` as the 汇总表, so the letter and the table always agree.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from datetime import date
from decimal import Decimal

from duixian.applications import policy_bridge
from duixian.core.text import xml_safe
from duixian.core.print_layout import page_number_footer
from duixian.exports.ooxml import stable_ooxml
from duixian.exports.summary import TWO, SummaryData, _set_east_asian_font, landscape_document, summary_data

def clause_breakdown(data: SummaryData) -> list[tuple[str, int, Decimal]]:
    """[(依据政策条款 cell, count, amount)] in clause order."""
    groups: "OrderedDict[str, list]" = OrderedDict()
    for row in sorted(data.rows, key=lambda r: (int(r.clause or 0), r.number)):
        count, amount = groups.get(row.clause_cell, (0, Decimal("0")))
        groups[row.clause_cell] = (count + 1, amount + (row.amount_wan or Decimal("0")))
    return [(cell, count, amount.quantize(TWO)) for cell, (count, amount) in groups.items()]


def written_date(day: date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 and the notice itself (2026 年 4 月 9 日) write it."""
    return f"{day.year}年{day.month}月{day.day}日"


BODY_PT = 16  # 三号仿宋: one character is 16 pt wide


def _line_width_pt(text: str) -> float:
    """Width of one line of the body font: 汉字 full width, digits and Latin half."""
    return sum(BODY_PT if ord(ch) >= 0x1100 else BODY_PT / 2 for ch in text)


def letter_docx(data: SummaryData, *, issued_on: date, pack=None) -> bytes:
    from datetime import datetime, time

    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    from duixian.core.clock import SHANGHAI

    data = xml_safe(data)  # rows stored before the input rule may hold control characters
    pack = pack or policy_bridge.batch_pack(data.batch_id)
    moment = datetime.combine(issued_on, time(9, 0), tzinfo=SHANGHAI)
    title_text = f"关于推荐{pack.year}年度政策兑现项目的函"
    doc = landscape_document(title_text, data.bureau, moment)
    # A letter reads better in portrait.
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704-2012: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters.
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_east_asian_font(normal, "仿宋_GB2312")
    spacing = normal.paragraph_format
    spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacing.line_spacing = Pt(28)
    spacing.space_before = spacing.space_after = Pt(0)
    page_number_footer(section.footer, "— {PAGE} —")

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    run = title.add_run(title_text)
    run.font.size = Pt(22)
    _set_east_asian_font(run, "方正小标宋简体")
    doc.add_paragraph()
    doc.add_paragraph("省科技厅：")
    n, total = len(data.rows), data.total_wan
    inner = pack.title.replace("《", "〈").replace("》", "〉")  # title marks inside title marks
    body = (
        f"根据省科技厅《关于开展{inner}的通知》要求，我局认真组织开展了本市政策兑现申报的审核推荐工作，"
        f"对申报单位提交的材料逐项进行了审核。经审核，现推荐{n}个项目申报政策兑现，"
        f"拟申请兑现金额合计{total:.2f}万元。"
    )
    p = doc.add_paragraph(body)
    p.paragraph_format.first_line_indent = Pt(32)
    breakdown = clause_breakdown(data)
    if breakdown:
        p = doc.add_paragraph("其中：" + "；".join(
            f"“{cell}”{count}个项目，拟申请兑现金额{amount:.2f}万元" for cell, count, amount in breakdown) + "。")
        p.paragraph_format.first_line_indent = Pt(32)
    else:
        p = doc.add_paragraph("本市本批次无推荐项目。")
        p.paragraph_format.first_line_indent = Pt(32)
    # From the last body paragraph to the date everything keeps with the next paragraph, so
    # the seal never lands alone on a page without text (GB/T 9704-2012 7.3.5.4).
    closing = []
    p = doc.add_paragraph(
        "我局对推荐项目的真实性、合规性进行了审核把关，并将做好监督管理。"
        f"推荐项目详见《{data.title}》，兑现材料（加盖公章）{pack.delivery.copies_text}随函报送。")
    p.paragraph_format.first_line_indent = Pt(32)
    closing.append(p)
    p = doc.add_paragraph(f"联系人及联系方式：{data.contact_line}")
    p.paragraph_format.first_line_indent = Pt(32)
    closing += [p, doc.add_paragraph()]
    p = doc.add_paragraph(f"附件：{data.title}")
    p.paragraph_format.first_line_indent = Pt(32)
    closing.append(p)
    # Room for the seal: it sits over the bureau's name and the date, its top within a line of
    # the 附件 line. The date is 4 characters from the right margin and the name is centred
    # over it (GB/T 9704-2012 7.3.5.1).
    closing += [doc.add_paragraph(), doc.add_paragraph()]
    text_width = section.page_width - section.left_margin - section.right_margin
    day_text = written_date(issued_on)
    axis = text_width - Pt(4 * BODY_PT) - Pt(_line_width_pt(day_text) / 2)
    for line in (f"{data.bureau}（盖章）", day_text):
        p = doc.add_paragraph("\t" + line)
        p.paragraph_format.tab_stops.add_tab_stop(axis, WD_TAB_ALIGNMENT.CENTER)
        closing.append(p)
    for p in closing[:-1]:
        p.paragraph_format.keep_with_next = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return stable_ooxml(buffer.getvalue(), moment)


def letter_file(city_code: str, issued_on: date, pack=None) -> tuple[bytes, SummaryData]:
    data = summary_data(city_code, pack=pack)
    return letter_docx(data, issued_on=issued_on), data
