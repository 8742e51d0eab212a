"""How a verdict reads to people: the label and the colour of each status, the words for each
rule outcome and rule kind. Defined here once; pages show a verdict with the fragment
`policy/_verdict.html` (filters in `policy.templatetags.verdicts`), and Python that writes a
verdict into a file (a document, a spreadsheet) calls `status_label`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .verdict import Outcome, Status

STATUS_LABELS = {
    Status.ELIGIBLE: _("符合条件"),
    Status.INELIGIBLE: _("不符合条件"),
    Status.NEEDS_REVIEW: _("待审核"),
    Status.EVALUATION_ONLY: _("须参加绩效评价，不享受兑现"),
    Status.ERROR: _("信息有误，暂无法判断"),
}
# What a status means, shown beside its label where it is not plain.
STATUS_NOTES = {Status.NEEDS_REVIEW: _("部分条件需评审人员判断或尚未填写")}
# The tag's CSS class (static/css: .tag.ok green, .tag.bad red, .tag.warn amber).
STATUS_TONES = {Status.ELIGIBLE: "ok", Status.INELIGIBLE: "bad"}
OUTCOME_LABELS = {Outcome.PASS: _("符合"), Outcome.FAIL: _("不符合"), Outcome.UNKNOWN: _("待判断")}
KIND_LABELS = {"hard": _("硬性条件"), "review": _("评审判断"), "evidence": _("以材料为准")}
NONE = "—"


def status_label(status) -> str:
    """The label of a status (a Status or its stored string); "—" for none or an unknown one."""
    known = Status.read(status)
    return str(STATUS_LABELS[known]) if known else NONE


def status_note(status) -> str:
    known = Status.read(status)
    return str(STATUS_NOTES.get(known, "")) if known else ""


def status_tone(status) -> str:
    return STATUS_TONES.get(Status.read(status), "warn")


def outcome_label(outcome) -> str:
    try:
        return str(OUTCOME_LABELS[Outcome(outcome)])
    except ValueError:
        return NONE


def kind_label(kind) -> str:
    return str(KIND_LABELS.get(kind, kind or ""))
