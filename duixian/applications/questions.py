"""The application form, as data: sections of questions per clause, each tied to a fact.

Fact names and their Chinese labels come from the policy vocabulary (duixian.policy.facts);
this module adds what a form needs: the widget kind, help text, the clause sentence the
question serves, and `show_if` — a question that cannot change the verdict given the answers so
far is not asked (e.g. whether a solution was purchased, once the applicant says it can supply
the technology itself: 二、（二）2 then fails either way).

Answers are kept flat here (`scene.status`) and nested in Application.facts (CONTRACTS §2).
A few questions are Application fields rather than facts (project name, amount, contact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _


YES_NO = (("true", _("是")), ("false", _("否")))
REMOVE = object()  # an answer cleared by the applicant
MODEL_FIELDS = ("project_name", "amount_requested_wan", "contact_name", "contact_phone")


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # bool | text | date | nullable_date | decimal | choice | multi | phone | region
    label: str = ""
    help: str = ""
    citation: str = ""
    choices: tuple = ()
    show_if: Callable[[dict], bool] | None = None
    required: bool = True

    @property
    def field_name(self) -> str:
        return self.name.replace(".", "__")

    @property
    def is_fact(self) -> bool:
        return self.name not in MODEL_FIELDS

    @property
    def display_label(self) -> str:
        if self.label:
            return str(self.label)
        from duixian.applications.policy_bridge import get_pack

        spec = get_pack().facts.get(self.name)
        return gettext(spec.label) if spec else self.name

    def visible(self, answers: dict) -> bool:
        return self.show_if is None or bool(self.show_if(answers))


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)
    intro: str = ""

    def visible_questions(self, answers: dict) -> list[Question]:
        return [q for q in self.questions if q.visible(answers)]


@dataclass(frozen=True)
class Equals:
    """`show_if` as data: the question shows when the answer to `name` is `value`. The server
    calls it; the section page hands `name` and `value` to the browser (autosave.js), which
    shows or hides the question as soon as the answer changes, without a save."""

    name: str
    value: Any

    def __call__(self, answers: dict) -> bool:
        return answers.get(self.name) == self.value

    @property
    def form_value(self) -> str:
        """The value as the form sends it ("true"/"false" for yes/no, else its text)."""
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


def _is(name: str, value: Any) -> Callable[[dict], bool]:
    return Equals(name, value)


def _skipped_2025_evaluation(answers: dict) -> bool:
    """五、（一）4: a 2024 park that skipped the 2025 evaluation takes part without redemption."""
    return (
        answers.get("park.application_type") == "evaluation"
        and answers.get("park.approved_year") == 2024
        and answers.get("park.evaluated_in_2025") is False
    )


def asks_amount(answers: dict) -> bool:
    return not _skipped_2025_evaluation(answers)


OCCURRED_HELP = {
    "2": _("场景建成并投入使用的日期。"),
    "4": _("创新成果在皖转化的日期。"),
    "5": _("本次兑现所依据的园区活动发生的日期。"),
}


def project_section(clause: str) -> Section:
    return Section("project", _("项目基本信息"), (
        Question("project_name", "text", _("项目名称"), _("与申报书、汇总表中的项目名称一致。")),
        Question("project.in_anhui", "bool", _("项目是否在安徽省内发生"), citation=_("六、（一）")),
        Question("project.occurred_on", "date", _("项目发生日期"),
                 format_lazy("{}{}", OCCURRED_HELP.get(clause, ""), _("须在2025年8月16日至2026年4月15日期间。")), citation=_("六、（一）")),
        Question("amount_requested_wan", "decimal", _("拟申请兑现金额（万元）"),
                 _("以万元为单位，最多两位小数。系统按条款上限核对（上限已知时）。"),
                 show_if=asks_amount),
        Question("contact_name", "text", _("项目联系人")),
        Question("contact_phone", "phone", _("项目联系人电话"), _("手机号或带区号的固定电话，如 0551-62999803。")),
    ))


ORG_SECTION = Section("org", _("申报单位情况"), (
    Question("org.independent_legal_person", "bool", help=_("已从单位注册信息带入，如有变化请修改。"), citation=_("二、（二）1；五、（二）1")),
    Question("org.owns_ip", "bool", help=_("须提供自主知识产权证明。"), citation=_("二、（二）1；五、（二）1")),
    Question("org.credit_good", "bool", help=_("须提供信用报告。"), citation=_("二、（二）1；五、（二）1")),
    Question("org.major_violation", "bool", help=_("如实填写；有重大违法行为的不予支持。"), citation=_("二、（二）1；五、（二）1")),
), intro=_("单位注册信息中已有的内容已自动带入。"))

SCENE_PRIOR_CHOICES = (
    ("future_industry_benchmark", _("省未来产业标杆应用场景")),
    ("similar_provincial_support", _("其他类似的省级支持")),
    ("clause1_scene_project", _("第一条人工智能场景创新项目（揭榜挂帅）")),
)
OPERATOR_PRIOR_CHOICES = (
    ("high_level_innovation_platform", _("省级高能级创新平台")),
    ("proof_of_concept_center", _("概念验证中心")),
    ("pilot_base", _("科技成果中试基地")),
    ("top_incubator", _("顶尖孵化器")),
    # 五（三）"…顶尖孵化器等": the list is open; the province decides whether another support counts.
    ("other_similar_support", _("其他类似政策支持（须省科技厅确认）")),
)

CLAUSE2 = Section("scene", _("场景情况"), (
    Question("scene.owner_is_applicant", "bool", _("申报单位是否为场景机会业主单位"), citation=_("二、（二）1")),
    Question("scene.in_anhui", "bool", _("场景是否在安徽省范围内实施"), citation=_("二、（一）")),
    Question("scene.status", "choice", _("场景建设状态"), citation=_("二、（一）"),
             choices=(("planned", _("规划中")), ("building", _("建设中")), ("in_use", _("已完成建设并投入使用")))),
    Question("scene.own_supply_capability", "bool", _("申报单位自身是否具备该场景所需的技术、产品供给能力"),
             _("具备供给能力的，不符合第二条申报单位要求。"), citation=_("二、（二）2")),
    Question("scene.purchased_solution", "bool", _("是否已购买或开发相应产品或技术解决方案"),
             citation=_("二、（二）2"), show_if=_is("scene.own_supply_capability", False)),
    Question("scene.development_investment_wan", "decimal", _("场景开发投入（万元）"),
             _("补助按场景开发投入的20%计算，最高100万元。")),
    Question("scene.prior_support", "multi", _("该项目已获得的支持（没有则不选）"), citation=_("二、（三）"),
             choices=SCENE_PRIOR_CHOICES, required=False),
))

CLAUSE4_AWARD = Section("award", _("获奖情况"), (
    Question("award.competition_year", "choice", _("参加全国通用人工智能创新应用大赛的年份"), citation=_("四、1；四、2"),
             choices=((2025, _("2025年")), (2024, _("2024年")))),
    Question("award.rank", "choice", _("获奖等次"), citation=_("四、1"),
             choices=((1, _("一等奖")), (2, _("二等奖")), (3, _("三等奖")), (0, _("其他")))),
    Question("award.date", "date", _("获奖日期"), _("“自获奖之日起1年内”从获奖日期的次日起算，到期年的对应日为最后一日。")),
    Question("award.redeemed_in_2025", "bool", _("该项目2025年度是否已兑现"), citation=_("四、2"),
             show_if=_is("award.competition_year", 2024)),
))

_converting = _is("conversion.in_anhui", True)
CLAUSE4_CONVERSION = Section("conversion", _("成果转化情况"), (
    Question("conversion.in_anhui", "bool", _("创新成果项目是否在皖转化"), citation=_("四、1")),
    Question("conversion.converted_on", "date", _("转化日期"), show_if=_converting, citation=_("四、1")),
    Question("conversion.investment_agreement_signed_on", "nullable_date", _("与转化地市（县区）签署投资协议的日期"),
             show_if=_converting, citation=_("四、3")),
    Question("conversion.agreement_region_code", "region", _("签署投资协议的地市或县区"),
             _("按地市分组列出安徽省各地市（市本级）和县区，选项后为行政区划代码；与省外地市签约的请选“安徽省外”。"),
             show_if=_converting, citation=_("四、3")),
    Question("conversion.registration_moved_on", "nullable_date", _("工商登记迁入安徽的日期"), show_if=_converting, citation=_("四、3")),
    Question("conversion.tax_moved_on", "nullable_date", _("税务登记迁入安徽的日期"), show_if=_converting, citation=_("四、3")),
    Question("conversion.statistics_moved_on", "nullable_date", _("统计关系迁入安徽的日期"), show_if=_converting, citation=_("四、3")),
    Question("conversion.follows_award_business_plan", "bool", _("是否以获奖时提交的商业计划书为基础组织实施"),
             show_if=_converting, citation=_("四、4")),
))

CLAUSE5_CREATION = Section("park", _("园区情况"), (
    Question("operator.prior_support", "multi", _("园区运营单位已获得的政策支持（没有则不选）"), citation=_("五、（三）"),
             choices=OPERATOR_PRIOR_CHOICES, required=False),
), intro=_("场景承载能力、产业优势、场景能力和申报领域基础由评审人员根据申报材料判断，请在“申报材料”中上传园区创建方案。"))

CLAUSE5_EVALUATION = Section("park", _("园区情况"), (
    Question("park.approved_year", "choice", _("园区评审通过的年度"), citation=_("五、（一）4"),
             choices=((2025, _("2025年度")), (2024, _("2024年度")))),
    Question("park.evaluated_in_2025", "bool", _("园区是否参加了2025年度绩效评价"), citation=_("五、（一）4"),
             show_if=_is("park.approved_year", 2024)),
    Question("operator.prior_support", "multi", _("园区运营单位已获得的政策支持（没有则不选）"), citation=_("五、（三）"),
             choices=OPERATOR_PRIOR_CHOICES, required=False),
))


def sections_for(clause: str, application_type: str = "") -> list[Section]:
    """The question sections of an application, in task-list order (materials come after)."""
    clause = str(clause)
    specific = {
        "2": [CLAUSE2],
        "4": [CLAUSE4_AWARD, CLAUSE4_CONVERSION],
        "5": [CLAUSE5_EVALUATION if application_type == "evaluation" else CLAUSE5_CREATION],
    }.get(clause, [])
    org = [ORG_SECTION] if clause in ("2", "5") else []
    return [project_section(clause), *org, *specific]


def section_by_key(clause: str, application_type: str, key: str) -> Section | None:
    for section in sections_for(clause, application_type):
        if section.key == key:
            return section
    return None


def skipped_2025_evaluation(answers: dict) -> bool:
    return _skipped_2025_evaluation(answers)


# ---- flat <-> nested ---------------------------------------------------------------------------


def flatten(nested: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in (nested or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def nest(flat: dict) -> dict:
    nested: dict = {}
    for name, value in flat.items():
        parts = name.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return nested
