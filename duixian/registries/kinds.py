"""The kinds of registry the province imports and their columns.

Which fact a kind settles, and so which clauses it serves, is each pack's (`registries`,
docs/policy-pack.md 登记册): the registries are imported once for every batch. The matching
function and the file parser read these specs, and so do the import form, the
templates to download and the user guide (docs/user-guide-registries.md). Labels and effects
are marked with gettext_noop: they stay Chinese in the matching flags and the downloadable
template, and the pages translate them (`{% translate spec.label %}`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy, gettext_noop

# Column layouts. Each column: (key, header as printed in the template, required). The headers
# stay Chinese in the files; pages that list a version's rows translate them.
PROJECT_COLUMNS = (
    ("uscc", gettext_noop("统一社会信用代码"), True),
    ("name", gettext_noop("单位名称"), True),
    ("project_name", gettext_noop("项目名称"), True),
    ("year", gettext_noop("年度"), True),
    ("source", gettext_noop("来源"), True),
)
ORG_COLUMNS = (
    ("uscc", gettext_noop("统一社会信用代码"), True),
    ("name", gettext_noop("单位名称"), True),
    ("year", gettext_noop("年度"), True),
    ("source", gettext_noop("来源"), True),
)
PARK_COLUMNS = (
    ("uscc", gettext_noop("运营单位统一社会信用代码"), True),
    ("name", gettext_noop("运营单位名称"), True),
    ("project_name", gettext_noop("园区名称"), True),
    ("year", gettext_noop("评审通过年度"), True),
    ("evaluated_in_2025", gettext_noop("是否参加2025年度绩效评价"), False),
    ("source", gettext_noop("来源"), True),
)
LAYOUTS = {"project": PROJECT_COLUMNS, "org": ORG_COLUMNS, "park": PARK_COLUMNS}


@dataclass(frozen=True)
class KindSpec:
    key: str
    label: str
    group: str  # prior_support | credit | park
    layout: str  # project | org | park
    effect: str  # what an exact hit does, in Chinese (marked for the pages, which translate it)
    year_label: str = "年度"

    @property
    def columns(self):
        return LAYOUTS[self.layout]

    @property
    def headers(self) -> list[str]:
        return [h for _k, h, _r in self.columns]


KINDS: dict[str, KindSpec] = {
    k.key: k
    for k in (
        KindSpec("future_industry_benchmark", gettext_noop("省未来产业标杆应用场景"), "prior_support", "project",
                 gettext_noop("该项目“已获得的支持”加入“省未来产业标杆应用场景”"), "入选年度"),
        KindSpec("clause1_scene_project", gettext_noop("人工智能场景创新项目（揭榜挂帅）"), "prior_support", "project",
                 gettext_noop("该项目“已获得的支持”加入“人工智能场景创新项目（揭榜挂帅）”"), "立项年度"),
        KindSpec("competition_redeemed_2025", gettext_noop("2025年度已兑现的大赛成果转化项目"), "prior_support", "project",
                 gettext_noop("“2025年度是否已兑现”为“是”"), "获奖年度"),
        KindSpec("high_level_innovation_platform", gettext_noop("省级高能级创新平台"), "prior_support", "org",
                 gettext_noop("园区运营单位“已获得的政策支持”加入“省级高能级创新平台”"), "认定年度"),
        KindSpec("proof_of_concept_center", gettext_noop("概念验证中心"), "prior_support", "org",
                 gettext_noop("园区运营单位“已获得的政策支持”加入“概念验证中心”"), "认定年度"),
        KindSpec("pilot_base", gettext_noop("科技成果中试基地"), "prior_support", "org",
                 gettext_noop("园区运营单位“已获得的政策支持”加入“中试基地”"), "认定年度"),
        KindSpec("top_incubator", gettext_noop("顶尖孵化器"), "prior_support", "org",
                 gettext_noop("园区运营单位“已获得的政策支持”加入“顶尖孵化器”"), "认定年度"),
        KindSpec("serious_dishonesty", gettext_noop("严重失信主体名单"), "credit", "org",
                 gettext_noop("“社会信用记录良好”为“否”"), "列入年度"),
        KindSpec("major_violation", gettext_noop("重大违法行为记录"), "credit", "org",
                 gettext_noop("“有重大违法行为”为“是”"), "认定年度"),
        KindSpec("approved_park", gettext_noop("已评审通过的通用人工智能产业创新园区"), "park", "park",
                 gettext_noop("“园区评审通过的年度”和“是否参加了2025年度绩效评价”取登记册的值"),
                 "评审通过年度"),
    )
}
GROUP_LABELS = {"prior_support": gettext_lazy("已获支持（不重复支持）"), "credit": gettext_lazy("信用记录"),
                "park": gettext_lazy("已评审通过的园区")}
KIND_CHOICES = [(k.key, gettext_lazy(k.label)) for k in KINDS.values()]

