"""The sandbox result as an xlsx workbook: summary, by city, by clause, and every application."""

from __future__ import annotations

from duixian.core import spreadsheets

from .trial import TrialResult


def trial_xlsx(result: TrialResult) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    p = result.parameter
    label = "试算（该参数尚未确认）" if result.is_trial_of_unconfirmed else "试算（未生效）"
    spreadsheets.append(ws, ["政策沙盘试算结果"])
    ws["A1"].font = Font(bold=True, size=14)
    spreadsheets.append(ws, ["说明", f"{label}：仅为测算，政策包未改变；省科技厅加载新版本政策包后才生效。"])
    spreadsheets.append(ws, ["参数", str(p.label)])
    spreadsheets.append(ws, ["现行值", "未确认" if result.current is None or not result.confirmed else f"{result.current.normalize():f} {p.unit}"])
    spreadsheets.append(ws, ["试算值", f"{result.value.normalize():f} {p.unit}"])
    if result.reference_price is not None:
        spreadsheets.append(ws, [f"参考算力单价（{result.reference_unit}）", float(result.reference_price)])
    spreadsheets.append(ws, ["涉及申报（或单位）数", result.total.count])
    spreadsheets.append(ws, ["结论变化数", result.verdict_changes])
    spreadsheets.append(ws, ["金额变化数", result.amount_changes])
    spreadsheets.append(ws, ["合计（万元）：试算前", float(result.total.before)])
    spreadsheets.append(ws, ["合计（万元）：试算后", float(result.total.after)])
    spreadsheets.append(ws, ["差额（万元）", float(result.total.delta)])
    for note in result.notes:
        spreadsheets.append(ws, ["注意", note])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60

    for title, groups, head in (("按地市", result.by_city, "地市"), ("按条款", result.by_clause, "条款")):
        sheet = wb.create_sheet(title)
        spreadsheets.append(sheet, [head, "申报数", "变化数", "试算前（万元）", "试算后（万元）", "差额（万元）", "金额待确认（试算前）", "金额待确认（试算后）"])
        for cell in sheet[1]:
            cell.font = bold
        for g in groups:
            spreadsheets.append(sheet, [str(g.label), g.count, g.changed, float(g.before), float(g.after), float(g.delta), g.pending_before, g.pending_after])
        spreadsheets.append(sheet, ["合计", result.total.count, result.total.changed, float(result.total.before), float(result.total.after),
                      float(result.total.delta), result.total.pending_before, result.total.pending_after])
        sheet.column_dimensions["A"].width = 26

    detail = wb.create_sheet("明细")
    spreadsheets.append(detail, ["申报编号", "项目", "单位", "地市", "条款", "状态", "试算前结论", "试算后结论", "试算前金额（万元）",
                   "试算后金额（万元）", "是否变化", "计入合计（前/后）"])
    for cell in detail[1]:
        cell.font = bold
    for r in result.rows:
        spreadsheets.append(detail, [r.reference, r.project_name, r.organisation, r.city, r.clause, r.state, r.before_status_label,
                       r.after_status_label, None if r.before_amount is None else float(r.before_amount),
                       None if r.after_amount is None else float(r.after_amount), "是" if r.changed else "否",
                       f"{'是' if r.counted_before else '否'}/{'是' if r.counted_after else '否'}"])
    return spreadsheets.xlsx_bytes(wb)
