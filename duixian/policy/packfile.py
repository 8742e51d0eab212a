"""The light part of a policy pack: reading its YAML, its problems, and the compute parameters.

Split from pack.py so that ``duixian subsidy compute`` can read the project period, time zone
and compute units without importing the rules compiler (rule_engine) or the rest of the pack
model: it starts at once (issue 22). pack.py re-exports every name here; use them from there.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

DEFAULT_PACK_PATH = Path(__file__).resolve().parent / "packs" / "anhui-2026.yaml"


@dataclass(frozen=True)
class PackProblem:
    place: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.place}（第{self.line}行）" if self.line else self.place
        return f"{where}：{self.message}"


class PackError(ValueError):
    """A pack that cannot be used; `problems` lists every error with its place."""

    def __init__(self, problems: list[PackProblem], source: str = ""):
        self.problems = problems
        self.source = source
        head = f"政策包 {source} 有 {len(problems)} 处错误" if source else f"政策包有 {len(problems)} 处错误"
        super().__init__(head + "：\n" + "\n".join(f"  - {p}" for p in problems))



class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML without implicit timestamps: dates stay text and are parsed with their place."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_map(node, path: str, out: dict[str, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = str(k.value)
            _line_map(v, f"{path}.{key}" if path else key, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            _line_map(v, f"{path}[{i}]", out)


class _Checker:
    """Collects problems instead of stopping at the first."""

    def __init__(self, lines: dict[str, int]):
        self.lines = lines
        self.problems: list[PackProblem] = []

    def add(self, path: str, message: str, label: str | None = None) -> None:
        line = self.lines.get(path)
        probe = path
        while line is None and probe:
            probe = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", probe) if re.search(r"(\.[^.\[]+|\[\d+\])$", probe) else ""
            line = self.lines.get(probe)
        place = path if not label else f"{path}（{label}）"
        self.problems.append(PackProblem(place, message, line))

    def get(self, data: Any, key: str, path: str, kind: type | tuple = str, required: bool = True, default=None):
        if not isinstance(data, dict):
            return default
        if key not in data or data[key] is None:
            if required:
                self.add(f"{path}.{key}" if path else key, "缺少必填项")
            return default
        v = data[key]
        if kind is str and isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            self.add(f"{path}.{key}" if path else key, f"类型应为{_KIND_WORD.get(kind, kind)}")
            return default
        return v

    def date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.add(path, f"日期无效：{value!r}（应为 YYYY-MM-DD）")
        return None

    def datetime(self, value: Any, path: str) -> dt.datetime | None:
        if isinstance(value, str):
            try:
                d = dt.datetime.fromisoformat(value)
                if d.tzinfo is not None:
                    return d
                self.add(path, f"时间缺少时区偏移：{value!r}")
                return None
            except ValueError:
                pass
        self.add(path, f"时间无效：{value!r}（应为 ISO 8601，带时区偏移）")
        return None


    def seq(self, data: Any, key: str, path: str) -> list:
        """An optional list of scalars or mappings; anything else is reported, never iterated."""
        v = data.get(key) if isinstance(data, dict) else None
        if v is None:
            return []
        if not isinstance(v, list):
            self.add(f"{path}.{key}" if path else key, "类型应为列表")
            return []
        return v


_KIND_WORD = {str: "字符串", int: "整数", list: "列表", dict: "映射", bool: "布尔值"}


def _read_yaml(text: str, source: str) -> tuple[dict, _Checker]:
    """The pack's YAML as data and a checker that knows each path's line; PackError if unreadable."""
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise PackError(
            [PackProblem("YAML", f"无法解析：{getattr(e, 'problem', e)}", mark.line + 1 if mark else None)], source
        ) from None
    lines: dict[str, int] = {}
    if node is not None:
        _line_map(node, "", lines)
    ck = _Checker(lines)
    if not isinstance(data, dict):
        raise PackError([PackProblem("(根)", "政策包应为 YAML 映射")], source)
    _refuse_control_characters(ck, data, "")
    return data, ck


# What a Word document or a spreadsheet cannot hold (XML 1.0) and a reader cannot see: C0
# controls but tab, line feed and carriage return, DEL, C1 controls, lone surrogates and the
# non-characters, as core.text refuses them in forms. A pack's words reach those files (the batch
# title in the 推荐函, a clause's name on the compute statement), so a "\x01" escape is refused here.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _refuse_control_characters(ck: "_Checker", value: Any, path: str) -> None:
    if isinstance(value, str):
        if _CONTROL.search(value):
            ck.add(path or "(根)", "含有不可见的控制字符（如 \\x01），Word 文档和表格不能保存，请删除")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_control_characters(ck, key, path)
            _refuse_control_characters(ck, item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_control_characters(ck, item, f"{path}[{i}]")



def _timezone(ck: _Checker, batch: dict) -> ZoneInfo:
    tzname = ck.get(batch, "timezone", "batch", default="Asia/Shanghai")
    try:
        return ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError):
        ck.add("batch.timezone", f"未知的时区：{tzname}")
        return ZoneInfo("Asia/Shanghai")


def _project_period(ck: _Checker, w: dict) -> tuple[dt.date | None, dt.date | None]:
    period = ck.get(w, "project_period", "windows", dict, default={})
    p_start = ck.date(period.get("start"), "windows.project_period.start")
    p_end = ck.date(period.get("end"), "windows.project_period.end")
    if p_start and p_end and p_start > p_end:
        ck.add("windows.project_period.end", "项目期结束日期不能早于开始日期")
    return p_start, p_end


def _compute_units(ck: _Checker, data: dict) -> list:
    return list(ck.get(data, "compute_units", "", list, required=False, default=[]))


def citation_text(ref: str, document: str | None = None) -> str:
    """A sentence as pages cite it: 通知六、（三）, or a quoted document's own numbering
    (《若干政策（2.0版）》二)."""
    return f"{document}{ref}" if document else f"通知{ref}"


def _base_unit(units: list) -> dict:
    """The base compute unit's entry (`base: true`), or {} when the pack names none."""
    return next((u for u in units if isinstance(u, dict) and u.get("base")), {})


def _compute_sentence(ck: _Checker, units: list, sentence_ids: set[str]) -> str:
    """The base unit's optional `sentence`: the id of the sentence the 算力补助量 formula is cited
    from (2026: 3.1.4), checked to be one of the pack's sentences; "" when none is named."""
    for i, u in enumerate(units):
        if isinstance(u, dict) and u.get("base") and u.get("sentence") not in (None, ""):
            sid = str(u["sentence"])
            if sid not in sentence_ids:
                ck.add(f"compute_units[{i}].sentence", f"引用的句子 {sid} 不在 sentences 中")
                return ""
            return sid
    return ""


@dataclass(frozen=True)
class ComputeParameters:
    """What the compute subsidy (CONTRACTS §3) takes from a pack: its time zone, project period
    and compute units, under the same names and checks as on a loaded Pack, and what its results'
    说明 sheet says: the base unit's name (2026: 卡时) and where the 算力补助量 formula is cited
    from (2026: 通知三、（一）4; "" when the pack names no sentence)."""

    tz: ZoneInfo
    project_period_start: dt.date
    project_period_end: dt.date
    compute_units: list
    base_unit: str = ""
    quantity_citation: str = ""


@functools.lru_cache(maxsize=4)
def load_compute_parameters(path: str | Path = DEFAULT_PACK_PATH) -> ComputeParameters:
    """The compute subsidy's part of a pack, read without compiling its rules (no rule_engine
    import), so that ``duixian subsidy compute`` starts at once; PackError if that part is wrong."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise PackError([PackProblem(str(p), f"无法读取文件：{e.strerror or e}")], str(p)) from None
    data, ck = _read_yaml(text, str(p))
    try:
        batch = ck.get(data, "batch", "", dict, default={})
        tz = _timezone(ck, batch)
        p_start, p_end = _project_period(ck, ck.get(data, "windows", "", dict, default={}))
        units = _compute_units(ck, data)
        sentences = {str(s.get("id")): s for s in ck.seq(data, "sentences", "") if isinstance(s, dict)}
        sid = _compute_sentence(ck, units, set(sentences))
        citation = citation_text(str(sentences[sid].get("ref", "")), sentences[sid].get("document")) if sid else ""
        base_unit = str(_base_unit(units).get("name", ""))
    except (TypeError, AttributeError, ValueError, KeyError) as e:
        ck.problems.append(PackProblem("(结构)", f"无法识别的结构：{e}"))
    if ck.problems:
        raise PackError(ck.problems, str(p))
    return ComputeParameters(tz, p_start, p_end, units, base_unit, citation)
