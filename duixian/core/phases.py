"""Where the batch stands at a moment: before opening, open, in city review, closed.

The home page, the banner and the countdown all ask this one function, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy as _

from duixian.core.clock import SHANGHAI


@dataclass(frozen=True)
class Phase:
    code: str
    label: str
    next_deadline: datetime | None
    next_deadline_label: str
    statement: str = ""  # the last accepted second of the deadline that matters now


def last_accepted(deadline: datetime) -> datetime:
    """The last accepted instant before an exclusive deadline (instants are whole seconds)."""
    return deadline - timedelta(seconds=1)


def deadline_statement(deadline: datetime) -> str:
    """An exclusive deadline said so nobody can misread it, from the pack's own instant:
    "最后受理时刻：2026年5月5日 23:58:59（北京时间）；23:59 起不再受理。" (docs/decisions/0001)."""
    first = deadline.astimezone(SHANGHAI)
    last = last_accepted(first)
    # Dates in the page's language (2026年5月5日 23:58:59 / 5 May 2026, 23:58:59), Beijing time.
    closing = date_format(first, "H:i" if first.second == 0 else "H:i:s")
    if first.date() != last.date():
        closing = date_format(first, gettext("Y年n月j日 H:i") if first.second == 0 else gettext("Y年n月j日 H:i:s"))
    return gettext("最后受理时刻：%(last)s（北京时间）；%(closing)s 起不再受理。") % {
        "last": date_format(last, gettext("Y年n月j日 H:i:s")), "closing": closing}


def batch_phase(pack, moment: datetime) -> Phase:
    if moment < pack.application_open:
        return Phase("not_open", _("申报尚未开放"), pack.application_open, _("距申报系统开放"),
                     deadline_statement(pack.application_close))
    if moment < pack.application_close:
        return Phase("open", _("申报进行中"), pack.application_close, _("距申报截止"),
                     deadline_statement(pack.application_close))
    if moment < pack.city_review_deadline:
        return Phase("city_review", _("申报已截止，各市审核推荐中"), pack.city_review_deadline, _("距市级审核推荐截止"),
                     deadline_statement(pack.city_review_deadline))
    return Phase("province", _("市级推荐已截止，省科技厅评审兑现中"), None, "")
