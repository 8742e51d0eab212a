"""Word documents: the 申报材料 template of a clause and the printable summary of an application."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.utils import translation
from docx import Document

from duixian.applications import policy_bridge, questions as q
from duixian.applications.selectors import latest_submission
from duixian.core.text import strip_control
from duixian.policy.display import status_label
from duixian.policy.verdict import Verdict


def attachment_header(filename: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _document(title: str) -> Document:
    from duixian.core.print_layout import a4_document

    doc = a4_document(title=title)
    doc.add_heading(title, level=1)
    return doc


def _widths(doc, table, shares) -> None:
    from duixian.core.print_layout import table_widths

    table_widths(doc, table, shares)


def _size_text(size: int) -> str:
    """File size as a reader expects it: a small file is "1 KB", not "0 KB"."""
    return f"{max(1, round(size / 1024))} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@translation.override("zh-hans")  # a Chinese document, like the notice it helps to answer
def materials_template_docx(choice: policy_bridge.ClauseChoice, pack) -> bytes:
    """A checklist-style template: every material the batch's pack asks for, with room to note each."""
    doc = _document(f"{choice.label} 申报材料清单")
    doc.add_paragraph(f"依据：{pack.title}")
    doc.add_paragraph(
        f"提交时间：{policy_bridge.format_moment(pack.application_open)} 至 "
        f"{policy_bridge.format_moment(pack.application_close)}（北京时间，届时系统关闭）。"
    )
    doc.add_heading("条款原文", level=2)
    for line in choice.text.splitlines():
        doc.add_paragraph(line)
    doc.add_heading("申报材料", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "材料名称", "要求", "页码/说明（申报单位填写）")):
        cell.text = text
    for n, slot in enumerate(policy_bridge.material_slots(choice.clause, choice.application_type, pack), start=1):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = str(n), slot.name, slot.status_note, ""
    _widths(doc, table, (2, 11, 4, 8))
    doc.add_paragraph("")
    doc.add_paragraph("标注“待省科技厅确认”的材料：通知未明确要求，省科技厅确认前不影响提交，建议有则上传。")
    delivery = pack.delivery
    doc.add_paragraph(
        f"纸质兑现材料（加盖公章）{delivery.copies_text}由{delivery.by}于"
        f"{policy_bridge.format_moment(delivery.deadline)}前送至{delivery.place}{policy_bridge.cited(pack, delivery.sentence)}，"
        "是否需要申报单位提供纸质件，以所属地市科技局的通知为准。")
    doc.add_paragraph("申报单位（盖章）：                    日期：    年  月  日")
    return _bytes(doc)


@translation.override("zh-hans")  # the printable summary is written in Chinese, like the notice
def application_summary_docx(app) -> bytes:
    from duixian.applications.selectors import answers_of, material_states
    from duixian.applications.views import _display

    doc = _document(strip_control(f"兑现申报信息表：{app.project_name}"))
    info = doc.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    snapshot = latest_submission(app)
    rows = [
        ("申报编号", app.reference or "（尚未提交）"),
        ("申报单位", app.organisation.name),
        ("统一社会信用代码", app.organisation.uscc or ""),
        ("依据政策条款", app.clause_label),
        ("状态", app.state_label),
        ("首次提交时间", policy_bridge.format_moment(app.first_submitted_at) if app.first_submitted_at else "—"),
        ("政策包版本", app.pack_version),
    ]
    if snapshot:
        verdict = Verdict.from_json(snapshot.verdict)
        rows.append(("系统预审结果", status_label(verdict.status) if verdict else ""))
    for label, value in rows:
        cells = info.add_row().cells
        cells[0].text, cells[1].text = label, strip_control(str(value))
    _widths(doc, info, (2, 5))
    answers = answers_of(app)
    for section in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app)):
        doc.add_heading(str(section.title), level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for question in section.visible_questions(answers):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = question.display_label, strip_control(_display(question, answers))
        _widths(doc, table, (1, 1))
    doc.add_heading("申报材料", level=2)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("材料", "文件名", "大小", "SHA-256")):
        cell.text = text
    for state in material_states(app):
        cells = table.add_row().cells
        cells[0].text = state.slot.label
        if state.material:
            cells[1].text = strip_control(state.material.original_name)
            cells[2].text = _size_text(state.material.size)
            cells[3].text = state.material.sha256[:16] + "…"
        else:
            cells[1].text = "未上传"
    _widths(doc, table, (8, 8, 3, 7))
    return _bytes(doc)
