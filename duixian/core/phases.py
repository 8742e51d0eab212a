"""Where the batch stands at a moment: before opening, open, in city review, closed.

The home page, the banner and the countdown all ask this one function, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Phase:
    code: str
    label: str
    next_deadline: datetime | None
    next_deadline_label: str


def batch_phase(pack, moment: datetime) -> Phase:
    if moment < pack.application_open:
        return Phase("not_open", _("申报尚未开放"), pack.application_open, _("距申报系统开放"))
    if moment < pack.application_close:
        return Phase("open", _("申报进行中"), pack.application_close, _("距申报截止"))
    if moment < pack.city_review_deadline:
        return Phase("city_review", _("申报已截止，各市审核推荐中"), pack.city_review_deadline, _("距市级审核推荐截止"))
    return Phase("province", _("市级推荐已截止，省科技厅评审兑现中"), None, "")
