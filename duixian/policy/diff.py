"""What changed between two versions of a pack, in words a reviewer checks before confirming.

A small structural diff, not a text diff: batch facts, windows, parameters, amounts, clauses,
the facts vocabulary, rules, the application forms, materials, the checklist and the scoring sheets, each change as {"section", "key", "label", "old", "new"}
with plain strings, so it is stored in the audit trail and PackVersion.changes as JSON. Like
pack.py it imports no Django.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .pack import Pack

SECTION_LABELS = {
    "batch": "批次",
    "windows": "时间窗口",
    "parameters": "参数",
    "amounts": "金额公式",
    "clauses": "条款",
    "facts": "事实",
    "rules": "规则",
    "forms": "申报表",
    "materials": "申报材料",
    "checklist": "审核清单",
    "scoring_sheets": "评分表",
    "other": "其他",
}

_WINDOWS = (
    ("application_open", "申报开放时间（含）"),
    ("application_close", "申报关闭时间（不含：第一个不受理的时刻）"),
    ("city_review_deadline", "市级审核推荐截止时间（不含）"),
    ("project_period_start", "项目期开始日（含）"),
    ("project_period_end", "项目期结束日（含）"),
)
_BATCH = (("version", "版本"), ("title", "标题"), ("notice_date", "发文日期"), ("year", "年度"))


def _text(value: Any, tz=None) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, dt.datetime):
        local = value.astimezone(tz) if tz else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M:%S}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _param_text(values) -> str:
    parts = []
    for v in values:
        amount = "未给出" if v.value is None else f"{v.value.normalize():f}{(' ' + v.unit) if v.unit else ''}"
        state = "已确认" if v.confirmed else "未确认"
        parts.append(f"{amount}（{state}，自{_text(v.since)}起；{v.source}）")
    return "；".join(parts) or "（无）"


def _rule_text(r) -> str:
    bits = [f"[{r.kind}] {r.message}"]
    if r.expr_text:
        bits.append(f"expr: {r.expr_text}")
    if r.when_text:
        bits.append(f"when: {r.when_text}")
    if r.overrides:
        bits.append(f"overrides: {', '.join(r.overrides)}")
    bits.append(f"条款 {', '.join(str(c) for c in r.clauses)}")
    return "；".join(bits)


def _clause_text(c) -> str:
    return f"{c.title}（{c.kind}）"


def _fact_text(spec) -> str:
    bits = [f"{spec.label}（{spec.type}）"]
    if spec.choice_words:
        bits.append("取值 " + "、".join(f"{v}={w}" for v, w in spec.choice_words))
    if spec.null_means_none:
        bits.append("null 读作没有")
    if spec.derive is not None:
        params = "".join(f"，{k}={v}" for k, v in spec.derive.params)
        bits.append(f"由 {spec.derive.function}({', '.join(spec.derive.sources)}{params}) 推导")
    return "；".join(bits)


def _form_text(sections) -> str:
    return "；".join(f"{s.title}：{'、'.join(q.label or q.name for q in s.questions)}" for s in sections)


def _clause_label(new: Pack, old: Pack, number) -> str:
    for pack in (new, old):
        try:
            return pack.clause_name(number)
        except KeyError:
            continue
    return str(number)


def _keyed(section: str, old: dict, new: dict, label, render) -> list[dict]:
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        ta = None if a is None else render(a)
        tb = None if b is None else render(b)
        if ta != tb:
            out.append({"section": section, "key": str(key), "label": label(key),
                        "old": ta if ta is not None else "（无）", "new": tb if tb is not None else "（删除）"})
    return out


def _items(pack: Pack, attr: str) -> dict[str, str]:
    raw = getattr(pack, attr)
    out = {}
    for group, items in raw.items():
        for it in items:
            text = getattr(it, "name", None) or getattr(it, "text", "")
            out[f"{group}/{it.id}"] = text + (f"（核对 {', '.join(it.rules)}）" if it.rules else "")
    return out


def _sheet_text(sheet) -> str:
    items = "；".join(f"{c.name} {c.max_points} 分" for c in sheet.criteria)
    judged = "；".join(f"{f.question}（{f.rule_id}）" for f in sheet.facts)
    state = "已确认" if sheet.confirmed else "待确认"
    return f"{sheet.title}（{sheet.source}，{state}）：{items}" + (f"；认定：{judged}" if judged else "")


def pack_diff(old: Pack | None, new: Pack) -> list[dict]:
    """Every structural change from `old` to `new` (an empty list when they say the same)."""
    if old is None:
        return [{"section": "batch", "key": "version", "label": "版本", "old": "（无）", "new": new.version}]
    tz = new.tz
    changes: list[dict] = []
    for attr, label in _BATCH:
        a, b = _text(getattr(old, attr)), _text(getattr(new, attr))
        if a != b:
            changes.append({"section": "batch", "key": attr, "label": label, "old": a, "new": b})
    if old.notice_text != new.notice_text:  # the full text is long: its size, and that it changed
        changes.append({"section": "batch", "key": "notice_text", "label": "通知全文",
                        "old": f"{len(old.notice_text)} 字" if old.notice_text else "（无）",
                        "new": f"{len(new.notice_text)} 字（已修改）" if new.notice_text else "（无）"})
    for attr, label in _WINDOWS:
        a, b = _text(getattr(old, attr), tz), _text(getattr(new, attr), tz)
        if a != b:
            changes.append({"section": "windows", "key": attr, "label": label, "old": a, "new": b})
    changes += _keyed("parameters", old.parameters, new.parameters,
                      lambda k: _param_label(new, old, k), _param_text)
    changes += _keyed("amounts", {k: a for k, a in old.amounts.items()}, {k: a for k, a in new.amounts.items()},
                      lambda k: f"{_clause_label(new, old, k)}可兑现金额", lambda a: (a.expr.text if a.expr else "（无）") + (f"；{a.note}" if a.note else ""))
    changes += _keyed("clauses", {c.number: c for c in old.clauses}, {c.number: c for c in new.clauses},
                      lambda k: _clause_label(new, old, k), _clause_text)
    changes += _keyed("facts", old.facts.all, new.facts.all, lambda k: f"事实 {k}", _fact_text)
    changes += _keyed("rules", {r.id: r for r in old.rules}, {r.id: r for r in new.rules},
                      lambda k: f"规则 {k}", _rule_text)
    changes += _keyed("forms", old._forms, new._forms, lambda k: f"申报表 {k}", _form_text)
    changes += _keyed("materials", _items(old, "_materials"), _items(new, "_materials"),
                      lambda k: f"材料 {k}", str)
    changes += _keyed("checklist", _items(old, "_checklist"), _items(new, "_checklist"),
                      lambda k: f"审核项 {k}", str)
    changes += _keyed("scoring_sheets", {s.key: s for s in old.scoring_sheets()}, {s.key: s for s in new.scoring_sheets()},
                      lambda k: f"评分表 {k}", _sheet_text)
    if not changes and old.digest != new.digest:
        changes.append({"section": "other", "key": "text", "label": "文字",
                        "old": "", "new": "条文、说明、联系方式或测试用例等文字有修改（以上各项均未变化）"})
    for c in changes:
        c["section_label"] = SECTION_LABELS[c["section"]]
    return changes


def _param_label(new: Pack, old: Pack, name: str) -> str:
    values = new.parameters.get(name) or old.parameters.get(name) or []
    desc = values[0].description if values else ""
    return f"{desc}（{name}）" if desc else name


def summary(changes: list[dict]) -> str:
    """One line for lists and messages: 时间窗口 1 处、参数 2 处."""
    if len(changes) == 1 and changes[0]["key"] == "version" and changes[0]["old"] == "（无）":
        return "首次记录"
    counts: dict[str, int] = {}
    for c in changes:
        counts[c["section"]] = counts.get(c["section"], 0) + 1
    return "、".join(f"{SECTION_LABELS[s]} {n} 处" for s, n in counts.items()) or "无结构变化"
