"""Where is my application: the stages of one application, each with its time limit and what
happens next.

The time limits come from the pack of the application's batch (the application window, the
city's review deadline) or from what the province published (the 公示 period); where the
notice sets none, the stage says so instead of inventing one. The applicant's status page and
the public lookup by 受理编号 show the same stages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _
from django.utils.translation import gettext_lazy

from duixian.applications import policy_bridge
from duixian.applications.models import ApplicationState as S
from duixian.core import memos
from duixian.core.templatetags.quoted import zh


class StageKey(models.TextChoices):
    APPLY = "apply", gettext_lazy("填报提交")
    CITY = "city", gettext_lazy("市级审核推荐")
    PROVINCE = "province", gettext_lazy("省级评审决定")
    PUBLICATION = "publication", gettext_lazy("结果公示")
    PAYMENT = "payment", gettext_lazy("资金拨付")


ORDER = [StageKey.APPLY, StageKey.CITY, StageKey.PROVINCE, StageKey.PUBLICATION, StageKey.PAYMENT]

# Where each state stands: (the stage it is at, whether the application ended there).
POSITION = {
    S.DRAFT: (StageKey.APPLY, False),
    S.WITHDRAWN: (StageKey.APPLY, True),
    S.SUBMITTED: (StageKey.CITY, False),
    S.RETURNED: (StageKey.CITY, False),
    S.NOT_RECOMMENDED: (StageKey.CITY, True),
    S.EXPIRED: (StageKey.CITY, True),
    S.RECOMMENDED: (StageKey.PROVINCE, False),
    S.REJECTED: (StageKey.PROVINCE, True),
    S.APPROVED: (StageKey.PUBLICATION, False),
    S.PUBLISHED: (StageKey.PUBLICATION, False),
    S.PARTLY_PAID: (StageKey.PAYMENT, False),
    S.PAID: (StageKey.PAYMENT, False),
}


class StageStatus(models.TextChoices):
    DONE = "done", gettext_lazy("已完成")
    CURRENT = "current", gettext_lazy("当前环节")
    ENDED = "ended", gettext_lazy("办理终止")
    UPCOMING = "upcoming", gettext_lazy("尚未开始")
    NOT_REACHED = "not_reached", gettext_lazy("不再进行")


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    status: str
    time_limit: str  # from the pack or the published 公示; "通知未规定时限" where there is none
    next_step: str  # what happens next, said only for the current stage
    contact: str = ""  # who answers questions about this stage (附件1)

    @property
    def status_label(self) -> str:
        return StageStatus(self.status).label


_PUBLICATION_ITEM = None


def _publication_item(app_id: int):
    """The application's 公示 item with its publication, through a query compiled once per
    process (the status page, one of the busiest, asks it every time: issue 22)."""
    global _PUBLICATION_ITEM
    if _PUBLICATION_ITEM is None:
        from duixian.core.compiled import CompiledQuery
        from duixian.decisions.models import PublicationItem

        _PUBLICATION_ITEM = CompiledQuery(PublicationItem, lambda pk: PublicationItem.objects.select_related(
            "publication").filter(application_id=pk), (-7_310_541,))
    return _PUBLICATION_ITEM.first(app_id)


def _publication_period(app) -> str:
    """The 公示 period once the province published the application (PublicationItem is frozen)."""
    from duixian.decisions.services import period_text

    item = _publication_item(app.pk)
    return period_text(item.publication) if item else ""


def _time_limits(app, pack, period: str) -> dict[str, str]:
    return {
        StageKey.APPLY: _("%(open)s 开放，%(close)s 关闭") % {
            "open": policy_bridge.format_moment(pack.application_open),
            "close": policy_bridge.format_moment(pack.application_close)},
        StageKey.CITY: _("%(deadline)s前完成审核推荐；退回补正的，须在此前重新提交") % {
            "deadline": policy_bridge.format_moment(pack.city_review_deadline)},
        StageKey.PROVINCE: _("通知未规定时限"),
        StageKey.PUBLICATION: (_("公示期：%(period)s") % {"period": period}) if period
        else _("公示期以省科技厅发布的公示为准"),
        StageKey.PAYMENT: _("通知未规定时限"),
    }


def _objection_upheld(app) -> bool:
    """An upheld 公示 objection stops the money on this decision (decisions' funding_record refuses it)."""
    from duixian.decisions.services.objections import upheld_objection

    return upheld_objection(app) is not None


def _next_step(app, key: str, city: str, upheld: bool) -> str:
    """What happens next, as HTML: the wording in the page's language, the city's name quoted as
    Chinese (`zh`: lang="zh-Hans" on pages that are not Chinese)."""
    marker = "\ue000"  # a private-use character no wording holds, where the city's name goes
    words = conditional_escape(_next_step_words(app, key, marker, upheld))
    return mark_safe(words.replace(marker, zh(city)))


def _next_step_words(app, key: str, city: str, upheld: bool) -> str:
    state = app.state
    if state == S.DRAFT:
        return _("完成填写并在申报系统关闭前提交；提交后由%(city)s科技局审核推荐。") % {"city": city}
    if state == S.WITHDRAWN:
        return _("申报已撤回，不再参加本批次审核；申报截止前可复制为新草稿重新申报。")
    if state == S.RETURNED:
        return _("请按退回补正意见修改后重新提交；%(city)s科技局将再次审核。") % {"city": city}
    if state == S.SUBMITTED:
        return _("%(city)s科技局审核：推荐至省科技厅、退回补正或不予推荐，结果以站内通知告知。") % {"city": city}
    if state == S.NOT_RECOMMENDED:
        return _("%(city)s科技局不予推荐，本申报办理结束。") % {"city": city}
    if state == S.EXPIRED:
        return _("推荐截止前未完成审核或补正，本申报按通知规定今年不再参加政策兑现。")
    if state == S.RECOMMENDED:
        return _("省科技厅组织评审并作出决定；评审通过的项目将予以公示。")
    if state == S.REJECTED:
        return _("省级评审未通过，本申报办理结束。")
    if state == S.APPROVED:
        return _("省科技厅将发布公示，公示期内可提出异议。")
    if state in (S.PUBLISHED, S.PARTLY_PAID) and upheld:
        return _("公示异议经核实成立，暂停资金下达和拨付；后续安排以省科技厅的通知为准。")
    if state == S.PUBLISHED:
        return _("公示期满无异议或异议不成立的，省科技厅下达资金并拨付。")
    if state == S.PARTLY_PAID:
        return _("资金已部分拨付；全部拨付后状态更新为“已兑现拨付”。")
    return _("资金已全部拨付，办理完成。")


def application_stages(app, pack=None) -> list[Stage]:
    """The five stages of `app` with their status, time limit and (for the current one) next step,
    from the pack of the application's own batch."""
    pack = pack or policy_bridge.application_pack(app)
    return _stages(app, pack, *_read(app))


def _read(app) -> tuple[str, bool]:
    """What the stages read from the database: the 公示 period, and whether an upheld objection
    stopped the money (asked only where the next step depends on it)."""
    return _publication_period(app), app.state in (S.PUBLISHED, S.PARTLY_PAID) and _objection_upheld(app)


def _stages(app, pack, period: str, upheld: bool) -> list[Stage]:
    at, ended = POSITION[S(app.state)]
    limits = _time_limits(app, pack, period)
    contact = pack.contacts.city(app.city_code)
    city = contact.city if contact else _("归口管理部门所在市")
    finished = app.state == S.PAID
    here = ORDER.index(at)
    stages = []
    for index, key in enumerate(ORDER):
        if index < here or (finished and index == here):
            status = StageStatus.DONE
        elif index == here:
            status = StageStatus.ENDED if ended else StageStatus.CURRENT
        else:
            status = StageStatus.NOT_REACHED if ended else StageStatus.UPCOMING
        who = ""
        if key in (StageKey.APPLY, StageKey.CITY) and contact:
            who = _("%(city)s科技局 %(phone)s") % {"city": contact.city, "phone": contact.phone}
        elif key != StageKey.APPLY:
            who = _("%(name)s %(phone)s") % {"name": pack.contacts.province.name, "phone": pack.contacts.province.phone}
        stages.append(Stage(
            key=key, label=str(key.label), status=status, time_limit=limits[key],
            next_step=_next_step(app, key, city, upheld) if index == here else "", contact=who))
    return stages


# The status page's progress table, as tracking/_progress.html writes it, per pack, state, city,
# language, 公示 period and upheld objection: the same few tables for every applicant (issue 22).
_TABLES: memos.TextMemo = memos.text_memo(512)


def progress_html(app, pack=None) -> SafeString:
    """tracking/_progress.html rendered for `app`'s stages, kept per everything they depend on
    (the period and the objection are read every time)."""
    pack = pack or policy_bridge.application_pack(app)
    period, upheld = _read(app)
    key = (id(pack), app.state, app.city_code, get_language(), period, upheld)
    found = _TABLES.get(key)
    if found is None or found[0] is not pack:
        html = get_template("tracking/_progress.html").render({"stages": _stages(app, pack, period, upheld)})
        found = _TABLES.put(key, (pack, mark_safe(html)))
    return found[1]
