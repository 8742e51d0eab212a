"""The experts' scoring sheets (评分表) and the review facts they state, kept as data.

The 2026 pack (duixian/policy/packs/anhui-2026.yaml) has no scoring sheet: the notice says
clause 二 is a 评比 and clause 五's park conditions need judgement, but gives no criteria or
points. These sheets are the platform's default, marked as such on every page that shows them,
for the province to confirm; when a pack carries `scoring_sheets`, move them there.

Clause 五 has two sheets: the 创建申报 sheet (criteria quoted from 五（一）1–3 and 五（二）2) and
the 绩效评价 sheet (EVALUATION_SHEET), chosen by the application's type.

Review facts are the reviewer judgements of CONTRACTS §2 (`kind: review` rules of the pack):
clause 2 `scene.demonstration_effect`; clause 5 (创建申报) `park.scene_capacity`,
`park.industry_advantage`, `park.scene_capability`, `operator.field_foundation`.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_SOURCE = "平台默认评分表（申报通知未规定评分细则，待省科技厅确认）"


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    max_points: int
    guide: str


@dataclass(frozen=True)
class ReviewFact:
    name: str  # the fact in the CONTRACTS §2 vocabulary
    question: str  # what the expert answers yes or no to
    rule_id: str  # the pack's review rule it settles
    application_types: tuple[str, ...] = ()  # empty: every type of the clause


@dataclass(frozen=True)
class Sheet:
    clause: str
    title: str
    criteria: tuple[Criterion, ...]
    facts: tuple[ReviewFact, ...]

    @property
    def max_total(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def facts_for(self, application_type: str = "") -> tuple[ReviewFact, ...]:
        return tuple(f for f in self.facts if not f.application_types or application_type in f.application_types)


SHEETS: dict[str, Sheet] = {
    "2": Sheet(
        clause="2",
        title="第二条 场景应用标杆 评比评分表",
        criteria=(
            Criterion("technology", "技术水平", 25, "垂类模型与行业场景结合的深度、技术先进性与自主可控程度"),
            Criterion("effect", "应用成效", 30, "场景建成投用情况，降本增效、服务质量提升等实际成效的可核实程度"),
            Criterion("demonstration", "示范效果与推广价值", 30, "在行业或区域内的示范带动作用，可复制、可推广程度"),
            Criterion("investment", "投入规模与可持续性", 15, "场景开发投入的规模、真实性及后续运营保障"),
        ),
        facts=(ReviewFact("scene.demonstration_effect", "场景应用示范效果明显，具有应用推广价值", "c2.demonstration_effect"),),
    ),
    "5": Sheet(
        clause="5",
        title="第五条 产业创新园区 创建申报评审评分表",
        # Each guide quotes the notice's own sentence (五（一）1–3, 五（二）2).
        criteria=(
            Criterion("scene_capacity", "场景承载能力", 25,
                      "园（区）区域优势明显且具有一定规模，产业园区内通用人工智能企业数量或产业规模比例高，"
                      "具有带头效应且产业布局和空间布局比较合理（五（一）1）"),
            Criterion("industry_advantage", "产业优势", 25,
                      "园（区）规模效益、集聚程度明显，拥有与申报方向相关的优势明显的产业生态，已基本形成上下游配套产业链，"
                      "在大模型等研发方向已有相应成效（五（一）2）"),
            Criterion("scene_capability", "场景能力", 25,
                      "园（区）场景具有较强场景开放意识，能够定期释放相关场景机会，并组织相关领域场景对接会（五（一）3）"),
            Criterion("field_foundation", "申报领域基础", 25,
                      "运营单位在申报领域具备一定基础与规模、特色优势明显、创新能力突出，"
                      "并在场景创新方面取得一定成效或具有明确规划（五（二）2）"),
        ),
        facts=(
            ReviewFact("park.scene_capacity", "园区具有较强的场景承载能力", "c5.scene_capacity", ("creation",)),
            ReviewFact("park.industry_advantage", "园区具有较强的产业优势", "c5.industry_advantage", ("creation",)),
            ReviewFact("park.scene_capability", "园区具有较强的场景能力", "c5.scene_capability", ("creation",)),
            ReviewFact("operator.field_foundation",
                       "运营单位在申报领域具备一定基础与规模、特色优势明显、创新能力突出，并在场景创新方面取得一定成效或具有明确规划",
                       "c5.field_foundation", ("creation",)),
        ),
    ),
}

# 五（一）4: the 2025 performance evaluation of approved parks (and of 2024-approved parks that
# skipped it, which are evaluated but not redeemed). The notice names no evaluation criteria;
# this default measures the year's results against the same conditions the park was approved on.
EVALUATION_SHEET = Sheet(
    clause="5",
    title="第五条 产业创新园区 2025年度绩效评价评分表",
    criteria=(
        Criterion("scene_capacity_results", "场景承载能力建设成效", 25,
                  "对照五（一）1：园（区）区域优势与规模，通用人工智能企业数量或产业规模比例，带头效应，"
                  "产业布局和空间布局的年度变化"),
        Criterion("industry_advantage_results", "产业优势建设成效", 25,
                  "对照五（一）2：规模效益、集聚程度，与申报方向相关的产业生态，上下游配套产业链，"
                  "大模型等研发方向的年度成效"),
        Criterion("scene_capability_results", "场景能力建设成效", 25,
                  "对照五（一）3：场景开放意识，定期释放场景机会、组织相关领域场景对接会的年度情况"),
        Criterion("operator_results", "运营单位工作成效", 25,
                  "对照五（二）2：运营单位在申报领域的基础与规模、特色优势、创新能力，以及场景创新的成效或规划落实情况"),
    ),
    facts=(),
)
TYPE_SHEETS: dict[tuple[str, str], Sheet] = {("5", "evaluation"): EVALUATION_SHEET}


def sheet_for(clause: str, application_type: str = "") -> Sheet | None:
    """The sheet an expert fills for an application of this clause (and clause-五 type)."""
    return TYPE_SHEETS.get((str(clause), application_type or "")) or SHEETS.get(str(clause))


def all_sheets() -> list[Sheet]:
    """Every sheet, in clause order, for the page that publishes them."""
    out: list[Sheet] = []
    for clause, sheet in SHEETS.items():
        out.append(sheet)
        out += [s for (c, _t), s in TYPE_SHEETS.items() if c == clause]
    return out
