"""Reading a registry file (xlsx or CSV) into checked rows, or every problem with its line.

Line numbers are the spreadsheet's: the header is line 1, the first data row line 2. A file
with any problem is refused whole (the service stores nothing); every bad line is reported.
Wholly empty rows are skipped (spreadsheets often end with some).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from duixian.codes.uscc import check_uscc

from .kinds import KINDS
from .matching import normalise_name

MAX_ROWS = 100_000
TRUE_WORDS = {"是", "true", "1", "y", "yes", "已参加", "参加"}
FALSE_WORDS = {"否", "false", "0", "n", "no", "未参加", "不参加"}


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line:
            return gettext("第%(line)s行：%(message)s") % {"line": self.line, "message": self.message}
        return str(self.message)


class RegistryFileError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(gettext("；").join(str(p) for p in problems[:5]))



def _sentence(errors: list) -> str:
    return gettext("%(errors)s。") % {"errors": gettext("；").join(str(e) for e in errors)}


def _joined(errors: list):
    """One line's problems as one sentence, in the language of whoever reads it."""
    return lazy(_sentence, str)(list(errors))

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip().replace("\u200b", "").replace("\ufeff", "")


def _header_key(text: str) -> str:
    return _cell(text).replace("*", "").replace(" ", "").replace("（", "(").replace("）", ")")


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """All rows as text cells. Raises RegistryFileError when the file cannot be read at all."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        try:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            ws = wb.worksheets[0]
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            wb.close()
            return rows
        except Exception:  # openpyxl raises many kinds of errors for a damaged file
            raise RegistryFileError([Problem(None, gettext_lazy("无法读取该 xlsx 文件，请用下载的模板另存为 .xlsx 后重试。"))]) from None
    if name.endswith(".csv") or not name:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RegistryFileError([Problem(None, gettext_lazy("CSV 文件编码无法识别，请保存为 UTF-8 编码后重试。"))])
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
    raise RegistryFileError([Problem(None, gettext_lazy("只支持 .xlsx 或 .csv 文件。"))])


def parse_rows(kind: str, table: list[list[str]]) -> list[dict]:
    """Checked rows `{line, uscc, name, project_name, year, evaluated_in_2025, source}`.

    Raises RegistryFileError listing every problem.
    """
    spec = KINDS[kind]
    columns = spec.columns
    problems: list[Problem] = []
    if not table or not any(table[0]):
        raise RegistryFileError([Problem(1, format_lazy(gettext_lazy("缺少表头，应为：{headers}。"), headers="、".join(spec.headers)))])
    header = [_header_key(h) for h in table[0]]
    while header and not header[-1]:
        header.pop()
    index: dict[str, int] = {}
    for key, title, _required in columns:
        want = _header_key(title)
        if want in header:
            index[key] = header.index(want)
    missing = [title for key, title, _r in columns if key not in index]
    if missing:
        raise RegistryFileError([Problem(1, format_lazy(gettext_lazy("表头缺少列：{missing}（应为：{headers}；请使用下载的模板）。"),
                                                        missing="、".join(missing), headers="、".join(spec.headers)))])
    known = {_header_key(t) for _k, t, _r in columns}
    extra = [h for h in header if h and h not in known]
    if extra:
        problems.append(Problem(1, format_lazy(gettext_lazy("表头有无法识别的列：{extra}。"), extra="、".join(extra))))

    rows: list[dict] = []
    seen: dict[tuple, int] = {}
    data_rows = table[1:]
    if len(data_rows) > MAX_ROWS:
        raise RegistryFileError([Problem(None, format_lazy(gettext_lazy("文件超过 {n} 行，请拆分后导入。"), n=MAX_ROWS))])
    for offset, raw in enumerate(data_rows):
        line = offset + 2
        if not any(raw):
            continue
        values = {key: (raw[i] if i < len(raw) else "") for key, i in index.items()}
        errors: list = []  # lazy strings: the page shows them in its language, the audit in Chinese
        for key, title, required in columns:
            if required and not values.get(key):
                errors.append(format_lazy(gettext_lazy("“{title}”不能为空"), title=title))
        uscc = values.get("uscc", "")
        if uscc:
            checked = check_uscc(uscc)
            if not checked.valid:
                errors.append(format_lazy(gettext_lazy("统一社会信用代码 {uscc} 无效：{error}"), uscc=uscc, error=checked.error))
            else:
                uscc = checked.uscc
        year = None
        if values.get("year"):
            try:
                year = int(values["year"].removesuffix("年度").removesuffix("年"))
                if not 2000 <= year <= 2100:
                    raise ValueError
            except ValueError:
                errors.append(format_lazy(gettext_lazy("“{title}”应为四位年份，如 2025（实际为“{value}”）"),
                                          title=dict((k, t) for k, t, _ in columns)["year"], value=values["year"]))
                year = None
        evaluated = None
        if "evaluated_in_2025" in values and values["evaluated_in_2025"]:
            word = values["evaluated_in_2025"].lower()
            if word in TRUE_WORDS:
                evaluated = True
            elif word in FALSE_WORDS:
                evaluated = False
            else:
                errors.append(format_lazy(gettext_lazy("“是否参加2025年度绩效评价”应填“是”或“否”（实际为“{value}”）"),
                                              value=values["evaluated_in_2025"]))
        if spec.layout == "park" and year == 2024 and evaluated is None and not any("2025" in e for e in errors):
            errors.append(gettext_lazy("2024年度评审通过的园区须填写“是否参加2025年度绩效评价”（是/否）"))
        for key, title, _r in columns:
            if len(values.get(key, "")) > (300 if key == "source" else 200):
                errors.append(format_lazy(gettext_lazy("“{title}”过长"), title=title))
        key = (uscc, normalise_name(values.get("project_name", "")))
        if not errors and key in seen:
            if spec.layout != "org":
                errors.append(format_lazy(gettext_lazy("与第{line}行重复（同一统一社会信用代码和名称）"), line=seen[key]))
            else:
                errors.append(format_lazy(gettext_lazy("与第{line}行重复（同一统一社会信用代码）"), line=seen[key]))
        if errors:
            problems.append(Problem(line, _joined(errors)))
            continue
        seen[key] = line
        rows.append({
            "line": line, "uscc": uscc, "name": values["name"], "project_name": values.get("project_name", ""),
            "year": year, "evaluated_in_2025": evaluated, "source": values["source"],
        })
    if not rows and not problems:
        problems.append(Problem(None, gettext_lazy("文件中没有数据行（表头在第1行，数据从第2行开始）。")))
    if problems:
        raise RegistryFileError(problems)
    return rows


def template_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    """The header and one example row (shown on the xlsx template's 说明 sheet, never imported)."""
    spec = KINDS[kind]
    example = {
        "uscc": "91340100MA2RXH7Q95", "name": "示例科技有限公司", "project_name":
        "示例园区" if spec.layout == "park" else "示例项目名称", "year": "2025", "evaluated_in_2025": "否",
        "source": "皖科XX〔2025〕X号文",
    }
    return spec.headers, [[example[k] for k, _t, _r in spec.columns]]
