"""The experts' scoring sheets (评分表) and the review facts they state, kept as data.

The 2026 pack (duixian/policy/packs/anhui-2026.yaml) has no scoring sheet: the notice says
clause 二 is a 评比 and clause 五's park conditions need judgement, but gives no criteria or
points. These sheets are the platform's default, marked as such on every page that shows them,
for the province to confirm; when a pack carries `scoring_sheets`, move them there.

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
        title="第五条 产业创新园区 评审评分表",
        criteria=(
            Criterion("scene_capacity", "场景承载能力", 25, "园区可开放的应用场景数量、类型与承载条件"),
            Criterion("industry_advantage", "产业优势", 25, "园区通用人工智能产业集聚程度、龙头企业与产业链完整性"),
            Criterion("scene_capability", "场景能力", 25, "园区场景建设、运营与对接服务能力"),
            Criterion("field_foundation", "申报领域基础", 25, "运营单位在申报领域的工作基础与资源"),
        ),
        facts=(
            ReviewFact("park.scene_capacity", "园区具有较强的场景承载能力", "c5.scene_capacity", ("creation",)),
            ReviewFact("park.industry_advantage", "园区具有较强的产业优势", "c5.industry_advantage", ("creation",)),
            ReviewFact("park.scene_capability", "园区具有较强的场景能力", "c5.scene_capability", ("creation",)),
            ReviewFact("operator.field_foundation", "运营单位在申报领域具有较好的工作基础", "c5.field_foundation",
                       ("creation",)),
        ),
    ),
}


def sheet_for(clause: str) -> Sheet | None:
    return SHEETS.get(str(clause))
