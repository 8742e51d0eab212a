"""Print layout helpers shared by the generated xlsx and docx files.

Spreadsheet applications do not grow a row to fit wrapped text that was written by a program
(LibreOffice and WPS keep the stored or default height, so a long project name overprints the
next row on paper). We therefore estimate how many lines each wrapped cell needs and store the
row height. The estimate errs on the generous side: a little air under a short name is better
than a name cut in half.

Widths are in Excel's column unit (the width of "0" in the workbook's default 11 pt font):
a full-width character (汉字, full-width punctuation) at 11 pt is about 2.1 units, other
characters are counted at 1.2 (wider than 宋体's half-width glyphs, to allow for Latin
fallback fonts).
"""

from __future__ import annotations

import re

from duixian.core.text import docx_property, strip_control

FULL_WIDTH = 2.1
HALF_WIDTH = 1.2
CELL_PADDING = 1.5  # units lost to the cell's inner margins and a one-level indent
LINE_HEIGHT_11PT = 15.0  # points per line of 11 pt 宋体
ROW_PADDING = 7.0  # points above and below the text


# Runs of wide characters (U+1100 and up: 汉字, full-width punctuation), words of other
# characters, and single spaces: the places where a line may break are between wide characters,
# and between a word and a space.
_RUNS = re.compile(r"[\u1100-\U0010ffff]+|[^ \u1100-\U0010ffff]+| ")


def text_width(text: str, font_size: float = 11) -> float:
    """The width of `text` on one line, in column units."""
    n = len(text)
    wide = (len(text.encode("utf-8")) - n) // 2  # a 汉字 is three bytes in UTF-8, ASCII one
    return ((n - wide) * HALF_WIDTH + wide * FULL_WIDTH) * font_size / 11


def wrapped_lines(text: str, width: float, font_size: float = 11) -> int:
    """How many lines `text` takes in a wrapping cell of `width` column units."""
    if not text:
        return 1
    text = str(text)
    capacity = max(width - CELL_PADDING, 1.0)
    if "\n" not in text and text_width(text, font_size) <= capacity:
        return 1  # the common case, without walking the text
    scale = font_size / 11
    full, half = FULL_WIDTH * scale, HALF_WIDTH * scale
    lines = 0
    for raw in text.split("\n"):
        lines += 1
        used = 0.0
        for run in _RUNS.findall(raw):
            if run == " ":
                if used + half <= capacity:
                    used += half  # a space at a break is swallowed
                continue
            if run[0] >= "\u1100":  # wide characters break anywhere
                left = len(run)
                while left:
                    fit = int((capacity - used) // full)
                    if fit >= left:
                        used += left * full
                        break
                    if fit == 0 and used == 0:
                        fit = 1  # a cell narrower than one character still shows one a line
                    left -= fit
                    lines += 1
                    used = 0.0
                continue
            w = len(run) * half  # a word moves to the next line whole, or breaks if longer than a line
            if used and used + w > capacity:
                lines += 1
                used = 0.0
            while w > capacity:
                lines += 1
                w -= capacity
            used += w
    return lines


def row_height(cells, *, font_size: float = 11, minimum: float = 22.0) -> float:
    """A row height in points for [(text, column width)] wrapping cells."""
    lines = max((wrapped_lines(text, width, font_size) for text, width in cells), default=1)
    return max(minimum, round(lines * LINE_HEIGHT_11PT * font_size / 11 + ROW_PADDING, 1))


def print_setup(ws, *, landscape: bool = True, title_rows: str | None = None, footer: str = "第 &P 页，共 &N 页",
                margins: tuple[float, float, float, float] = (0.5, 0.5, 0.6, 0.7)) -> None:
    """A4, one page wide (as many pages tall as needed), centred, page numbers in the footer."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    left, right, top, bottom = margins
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=0.3, footer=0.3)
    if title_rows:
        ws.print_title_rows = title_rows
    if footer:
        ws.oddFooter.center.text = footer


# ---- docx ------------------------------------------------------------------------------------


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as a complex field: Word and LibreOffice both update it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    text = OxmlElement("w:t")
    text.text = "1"
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def page_number_footer(footer, pattern: str = "第 {PAGE} 页，共 {NUMPAGES} 页") -> None:
    """Fill a section footer with a centred page number such as 第 1 页，共 3 页 or — 1 —."""
    import re

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in re.split(r"(\{PAGE\}|\{NUMPAGES\})", pattern):
        if part in ("{PAGE}", "{NUMPAGES}"):
            _field(paragraph, part[1:-1])
        elif part:
            paragraph.add_run(part)


def fixed_table_widths(table, widths) -> None:
    """Give a table fixed column widths that Word, WPS and LibreOffice all honour.

    python-docx writes each cell's width but leaves the grid (w:tblGrid) at equal columns, which
    LibreOffice follows; a fixed layout with the grid, the table width and every cell set agrees
    everywhere.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Emu

    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    table.autofit = False
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width.twips)))
    for tr in tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Emu(sum(int(w) for w in widths[col:col + span]))
            col += span


def min_row_height(row, height) -> None:
    """At least `height` tall (it still grows with the text)."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE

    row.height = height
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def keep_row_on_one_page(row) -> None:
    """A row is not split across two pages (w:cantSplit)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def set_east_asian_font(style_or_run, name: str) -> None:
    """Use `name` for Chinese and Latin text of a style or run (Word picks the East Asian font apart)."""
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the named one


def chinese_language(doc) -> None:
    """Mark the document's East Asian text as Chinese (python-docx's template says en-US), so
    Word lays out quotes and punctuation the Chinese way and spell-checks nothing as English."""
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    for lang in defaults.iter(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")


def a4_document(*, title: str = "", author: str = "", body_pt: float = 11, footer: str = "第 {PAGE} 页，共 {NUMPAGES} 页"):
    """A python-docx Document on A4 portrait for Chinese text.

    python-docx's own template is US Letter with Calibri and blue Calibri Light headings; this
    one is A4, 宋体 body, 黑体 black headings, and a page number in the footer.
    """
    from docx import Document
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    chinese_language(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(body_pt)
    set_east_asian_font(normal, "宋体")
    for name, size in (("Title", 18), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 12)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = True
        style.font.italic = False
        set_east_asian_font(style, "黑体")
    if footer:
        page_number_footer(section.footer, footer)
    props = doc.core_properties
    if title:
        props.title = docx_property(title)
    if author:
        props.author = props.last_modified_by = docx_property(author)
    return doc


def text_width_emu(doc) -> int:
    section = doc.sections[0]
    return int(section.page_width - section.left_margin - section.right_margin)


def table_widths(doc, table, shares) -> None:
    """Fixed column widths for `table` as shares of the text width, e.g. (1, 3, 1)."""
    from docx.shared import Emu

    total = text_width_emu(doc)
    fixed_table_widths(table, [Emu(int(total * s / sum(shares))) for s in shares])


def grid_table(doc, rows, shares, header=None):
    """A bordered table of text rows (after an optional header row) with fixed column widths
    as shares of the text width."""
    table = doc.add_table(rows=0, cols=len(shares))
    table.style = "Table Grid"
    for row in ([header] if header else []) + [list(r) for r in rows]:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = strip_control(str(text))  # imported names may hold control characters
    table_widths(doc, table, shares)
    return table
