"""Generate docs/notice-traceability.md from a pack: each sentence of the notice, the rules that
implement it and the test cases that exercise them, or why no rule does.

Generated, never edited by hand: `duixian pack trace --out docs/notice-traceability.md`.
"""

from __future__ import annotations

from pathlib import Path

from .packtest import run_cases

KIND_WORDS = {"hard": "硬性条件", "review": "评审判断", "evidence": "材料证明"}
CLAUSE_KIND_WORDS = {"application": "受理申报", "automatic": "免申即享", "not_in_this_batch": "不在本批次"}


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _shown_path(path: str) -> str:
    """The pack's path from the repository root, so the output is the same on every machine."""
    parts = Path(path).resolve().parts
    if "duixian" in parts:
        i = len(parts) - 1 - parts[::-1].index("duixian")
        return "/".join(parts[i:])
    return Path(path).name


def traceability_markdown(pack) -> str:
    results = run_cases(pack)
    by_rule: dict[str, list[str]] = {r.id: [] for r in pack.rules}
    for case, res in zip(pack.tests, results):
        exp = case.get("expect") or {}
        named = set(exp.get("fail") or []) | set(exp.get("unknown") or []) | set(exp.get("absent") or [])
        for rid in named:
            by_rule.setdefault(rid, []).append(f"#{res.index + 1} {res.name}")
    passed = sum(1 for r in results if r.ok)

    out = [
        "# 通知条文与规则对照表（notice traceability）",
        "",
        f"> 本文件由政策包 `{_shown_path(pack.path)}` 生成"
        f"（批次 `{pack.batch_id}`，版本 `{pack.version}`），请勿手工修改。",
        "> 重新生成：`duixian pack trace --out docs/notice-traceability.md`。",
        "",
        f"通知：{pack.title}（{pack.issuer}，{pack.notice_date.isoformat()}）。",
        f"规则 {len(pack.rules)} 条；测试用例 {len(pack.tests)} 个，本次运行通过 {passed} 个。",
        "测试用例编号对应政策包 `tests` 的顺序（`duixian pack test` 的输出）。",
        "",
        "## 时间窗口（Asia/Shanghai）",
        "",
        f"- 系统开放：{pack.application_open.isoformat()}（含）",
        f"- 系统关闭：{pack.application_close.isoformat()}（不含：最后受理时刻为关闭前一秒）",
        f"- 市级审核推荐截止：{pack.city_review_deadline.isoformat()}（不含）",
        f"- 项目期：{pack.project_period_start.isoformat()} 至 {pack.project_period_end.isoformat()}（两端均含）",
        f"- 说明：{pack.window_note}",
        "",
        "## 条款",
        "",
        "| 条 | 标题 | 类型 | 附件2 依据政策条款 |",
        "|---|---|---|---|",
    ]
    for c in pack.clauses:
        out.append(f"| {c.number} | {_md(c.title)} | {CLAUSE_KIND_WORDS.get(c.kind, c.kind)} | `{c.label}` |")
    out += ["", "## 逐句对照", ""]
    rules_by_sentence: dict[str, list] = {}
    for r in pack.rules:
        rules_by_sentence.setdefault(r.sentence, []).append(r)
    for s in pack.sentences:
        out.append(f"### {s.citation.text if s.document and s.citation else s.ref} · {s.id}")
        out.append("")
        if s.document:
            out.append(f"出处：{s.document}（政策原文，不是申报通知的句子）。")
            out.append("")
        out.append(f"> {s.text}")
        out.append("")
        if s.note:
            out.append(f"注：{s.note}")
            out.append("")
        rules = rules_by_sentence.get(s.id, [])
        if rules:
            out.append("| 规则 | 类型 | 适用条款 | 要求 | 测试用例 |")
            out.append("|---|---|---|---|---|")
            for r in rules:
                extra = ""
                if r.when_text:
                    extra += f"<br>适用于：`{_md(r.when_text)}`"
                if r.overrides:
                    extra += f"<br>例外，替代：{', '.join('`' + x + '`' for x in r.overrides)}"
                if r.source:
                    extra += f"<br>依据：{_md(r.source)}"
                if r.flag:
                    extra += "<br>核实提示：不一致时为“待定”（须人工核实），不判为不满足"
                if r.fail_status:
                    extra += f"<br>不满足时结论为 `{r.fail_status}`（不作为“不符合条件”）"
                cases = "<br>".join(_md(x) for x in by_rule.get(r.id, [])) or "（无）"
                clauses = "、".join(str(n) for n in r.clauses)
                out.append(
                    f"| `{r.id}` | {KIND_WORDS.get(r.kind, r.kind)} | {clauses} | {_md(r.message)}{extra} | {cases} |"
                )
            out.append("")
        if s.implemented_by:
            out.append("由以下部分实现：" + "、".join(f"`{x}`" for x in s.implemented_by))
            out.append("")
        if s.no_rule:
            out.append(f"无规则的原因：{s.no_rule}")
            out.append("")
    out += ["## 参数", "", "| 参数 | 说明 | 取值 | 单位 | 状态 | 生效 | 来源 |", "|---|---|---|---|---|---|---|"]
    for name, values in pack.parameters.items():
        for v in values:
            status = "已确认" if v.confirmed else "未确认"
            value = "null" if v.value is None else str(v.value)
            out.append(
                f"| `{name}` | {_md(v.description)} | {value} | {_md(v.unit)} | {status} | {v.since.isoformat()} | {_md(v.source)} |"
            )
    out.append("")
    return "\n".join(out)
