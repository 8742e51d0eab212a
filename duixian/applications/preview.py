"""Reading a material in the browser: PDF and images as they are, DOCX as escaped text.

A DOCX is never sent to the browser to render: the server reads it with python-docx and writes
its paragraphs and tables as plain HTML, every piece of text escaped, no styles, links, images
or fields carried over. Whoever calls this has already checked who may see the material; every
preview is written to the audit log by the caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from duixian.applications.materials import material_open
from duixian.applications.models import Material

log = logging.getLogger(__name__)

INLINE = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEWABLE = INLINE | {DOCX}
MAX_BLOCKS = 3000  # paragraphs and tables shown; the rest is left to the download
MAX_CHARS = 300_000


@dataclass
class DocxText:
    blocks: list[tuple[str, object]] = field(default_factory=list)  # ("h"|"p", text) or ("table", rows)
    truncated: bool = False
    error: str = ""


def docx_text(handle) -> DocxText:
    """The document's headings, paragraphs and tables in reading order (text only)."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = DocxText()
    try:
        document = Document(handle)
        chars = 0
        for block in document.iter_inner_content():
            if len(out.blocks) >= MAX_BLOCKS or chars >= MAX_CHARS:
                out.truncated = True
                break
            if isinstance(block, Paragraph):
                text = block.text
                if not text.strip():
                    continue
                style = (block.style.name or "") if block.style is not None else ""
                out.blocks.append(("h" if style.lower().startswith(("heading", "title")) else "p", text))
                chars += len(text)
            elif isinstance(block, Table):
                rows = [[cell.text for cell in row.cells] for row in block.rows]
                out.blocks.append(("table", rows))
                chars += sum(len(c) for r in rows for c in r)
    except Exception as exc:  # a damaged or unusual file: say so, offer the download
        log.info("docx preview failed: %s", exc)
        out.error = _("无法读取该 Word 文件的内容，请下载后查看。")
    return out


def preview_response(request, material: Material, *, download_url: str, label: str = ""):
    """The inline response for `material`: the file itself (PDF, image) or a page with its text (DOCX).

    Raises Http404 for other types and for a file missing from the storage."""
    if material.content_type not in PREVIEWABLE:
        raise Http404(_("该类型的文件不能在浏览器中预览，请下载后查看。"))
    try:
        handle = material_open(material)
    except FileNotFoundError:
        raise Http404(_("文件不存在。")) from None
    if material.content_type == DOCX:
        with handle:
            text = docx_text(handle)
        response = render(request, "applications/material_preview.html", {
            "material": material, "label": label, "doc": text, "download_url": download_url,
        })
    else:
        suffix = PurePosixPath(material.original_name).suffix.lower()
        response = FileResponse(handle, as_attachment=False, content_type=material.content_type,
                                filename=f"material-{material.pk}{suffix}")
    response["Cache-Control"] = "private, no-store"
    return response
