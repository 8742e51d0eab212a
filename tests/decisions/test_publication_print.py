"""The 公示 xlsx on paper: one page wide on A4 landscape, header on every page, no cut names."""

import io

from openpyxl import load_workbook

from duixian.decisions.public_views import publication_xlsx_bytes


def test_public_xlsx_prints_one_page_wide_with_borders_and_wrapped_names(published):
    item = published.items.first()
    item.project_name = "基于多模态大模型的城市轨道交通运维智能巡检与故障预测系统在合肥地铁三号线的示范应用项目"
    item.save()
    ws = load_workbook(io.BytesIO(publication_xlsx_bytes(published))).active
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    long_row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 3).value == item.project_name)
    short_row = next(r for r in range(4, ws.max_row + 1) if r != long_row)
    assert ws.cell(long_row, 3).alignment.wrap_text
    assert ws.row_dimensions[long_row].height > ws.row_dimensions[short_row].height >= 22
    for col in range(1, 8):
        assert ws.cell(3, col).border.left.style == "thin"
        assert ws.cell(long_row, col).border.bottom.style == "thin"
