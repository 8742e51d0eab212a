"""What every decision step shares: the refusal, the province check, amounts and typed reasons,
the day as the notices write it, and telling the applicant.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from duixian.core.errors import DomainError
from duixian.core.moments import day_text
from duixian.core.text import has_control_characters
from duixian import authz


CENT = Decimal("0.01")


class DecisionError(DomainError):
    """A refused decision step, with the Chinese message and the field it concerns."""


def require_province(user) -> None:
    allowed, reason = authz.check(user, "decisions.manage")
    if not allowed:
        raise DecisionError(reason)


def notify_applicant(application, event: str, title: str, body: str) -> None:
    try:
        from duixian.applications.notifications import notify
    except ImportError:  # pragma: no cover - the applications app ships it
        return
    from django.urls import reverse

    notify(application.organisation, event, title=title, body=body,
           link=reverse("applications:status", args=[application.pk]), application=application)


def fmt_day(day: dt.date, *, language: str | None = None) -> str:
    """2026年6月25日, or 25 June 2026 on English pages (core.moments)."""
    return day_text(day, language=language)


# Amount columns hold 12 digits, 2 of them decimals (Decision, FundingRecord, PublicationItem).
AMOUNT_DIGITS = 10


def parse_amount(value, label: str | None = None, *, allow_zero: bool = False) -> Decimal:
    """A positive amount in 万元 with at most two decimals, or a DecisionError saying why.
    `allow_zero`: 0 is the only amount of an evaluation-only park (五（一）4)."""
    label = label or _("金额")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise DecisionError(_("%(label)s须为数字（单位：万元），如 24 或 24.50。") % {"label": label}, "amount") from None
    if not amount.is_finite():
        raise DecisionError(_("%(label)s须为数字（单位：万元），如 24 或 24.50。") % {"label": label}, "amount")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise DecisionError(_("%(label)s须大于 0 万元。") % {"label": label}, "amount")
    if amount.adjusted() >= AMOUNT_DIGITS:  # 1e30 would not even quantize (and no column holds it)
        raise DecisionError(_("%(label)s过大：最多 %(n)s 位整数（单位：万元）。") % {"label": label, "n": AMOUNT_DIGITS}, "amount")
    if amount != amount.quantize(CENT):
        raise DecisionError(_("%(label)s最多保留两位小数（单位：万元）。") % {"label": label}, "amount")
    return amount.quantize(CENT)


# As the forms: the 未经专家评分 reason (ApproveForm) and the 不通过 reason (RejectForm, like the
# city's 不予推荐理由).
WAIVER_MAX, REJECT_REASON_MAX = 1000, 2000


def clean_reason(value, field: str, limit: int) -> str:
    """A typed reason as the forms take it (stripped, no control characters, at most `limit`
    characters), for the paths that reach a service without a form (the batch bar)."""
    text = (value or "").strip()
    if has_control_characters(text):
        raise DecisionError(_("内容含有不可见的控制字符（常见于从其他软件复制粘贴），请删除后重新输入。"), field)
    if len(text) > limit:
        raise DecisionError(_("理由不能超过 %(n)s 个字。") % {"n": limit}, field)
    return text
