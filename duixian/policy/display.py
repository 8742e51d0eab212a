"""How a verdict reads to people: the label and the colour of each status, the words for each
rule outcome and rule kind. Defined here once; pages show a verdict with the fragment
`policy/_verdict.html` (filters in `policy.templatetags.verdicts`), and Python that writes a
verdict into a file (a document, a spreadsheet) calls `status_label`.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop, gettext_lazy as _

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
HAN = re.compile(r"[\u3400-\u9fff]")


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


# Each rule's explanation is written by the engine in Chinese (the calculator's JSON, CONTRACTS §2,
# and the verdicts stored with applications): the engine's framing around the pack's own sentence.
# Pages in another language say the framing in their language and quote the pack's sentence as
# Chinese (lang="zh-Hans"); a message of another shape is quoted whole.
_SENTENCE = r"(?P<m>.+?)"
_REGISTRY = r"(?:（依据登记册：(?P<registry>.+)）)?"
RULE_FRAMES = [
    (re.compile(rf"不满足：{_SENTENCE}（(?P<words>.+?)晚于首次提交日(?P<day>[0-9-]+)，提交时尚未发生，视为未完成）。{_REGISTRY}", re.S),
     gettext_noop("不满足：%(m)s（%(words)s晚于首次提交日%(day)s，提交时尚未发生，视为未完成）。")),
    (re.compile(rf"不满足：{_SENTENCE}（(?P<words>.+?)为空，视为未完成）。{_REGISTRY}", re.S),
     gettext_noop("不满足：%(m)s（%(words)s为空，视为未完成）。")),
    (re.compile(rf"待补充信息（(?P<words>.+?)未选定，无法确定是否适用）：{_SENTENCE}{_REGISTRY}", re.S),
     gettext_noop("待补充信息（%(words)s未选定，无法确定是否适用）：%(m)s")),
    (re.compile(rf"待补充信息（(?P<words>.+?)）：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("待补充信息（%(words)s）：%(m)s")),
    (re.compile(rf"不满足：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("不满足：%(m)s")),
    (re.compile(rf"满足：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("满足：%(m)s")),
    (re.compile(rf"须人工核实：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("须人工核实：%(m)s")),
    (re.compile(rf"须人工确认：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("须人工确认：%(m)s")),
    (re.compile(rf"待评审：{_SENTENCE}{_REGISTRY}", re.S), gettext_noop("待评审：%(m)s")),
]


def _quoted(text: str) -> str:
    return format_html('<span lang="zh-Hans">{}</span>', text)


def clause_number(clause) -> str:
    """A clause's number as the page's language writes it: the pack's Chinese numeral on Chinese
    pages, the digits elsewhere ("clause 2", the glossary)."""
    if (translation.get_language() or "").lower().startswith("zh"):
        return clause.number_cn
    return str(clause.number)


def pack_text(text: str) -> str:
    """A sentence of the pack as HTML: in the page's language when the catalogue has it (the pack's
    messages file, policy.messages), else quoted as Chinese."""
    text = str(text or "")
    said = gettext(text) if text else text
    if said != text or not HAN.search(text) or (translation.get_language() or "").lower().startswith("zh"):
        return conditional_escape(said)
    return _quoted(text)


def pack_words(texts) -> str:
    """Several of the pack's words joined with the page's 、, each as `pack_text` shows it."""
    return mark_safe(conditional_escape(gettext("、")).join(pack_text(t) for t in texts or ()))


def _fact_words(words: str) -> str:
    """The labels the engine joined (with 、 or ；, and 或 between the sources of a derived fact),
    each in the page's language; a label without a translation is quoted."""
    parts = re.split(r"([、；])", words)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(conditional_escape(gettext("、") if part == "、" else gettext("；")))
        else:
            out.append(_label_words(part))
    return "".join(out)


def _label_words(label: str) -> str:
    said = gettext(label)
    if said != label or not HAN.search(label):
        return conditional_escape(said)
    sources = label.split("或")
    if len(sources) > 1 and all(gettext(s) != s for s in sources):
        return conditional_escape(gettext(" 或 ").join(gettext(s) for s in sources))
    return _quoted(label)


def _sentence(text: str) -> str:
    """The pack's sentence in a rule's explanation; the engine may have cut its final 。."""
    whole = text if text.endswith("。") else f"{text}。"
    if whole != text and gettext(whole) != whole:
        return conditional_escape(gettext(whole).rstrip("."))
    return pack_text(text)


def rule_message(message: str) -> str:
    """A rule's explanation as HTML: as written on Chinese pages; otherwise the framing translated
    and the pack's sentence translated when the catalogue has it, else quoted as Chinese."""
    message = str(message or "")
    if (translation.get_language() or "").lower().startswith("zh") or not HAN.search(message):
        return conditional_escape(message)
    if gettext(message) != message:  # a pack's own failure message, written whole
        return conditional_escape(gettext(message))
    for pattern, wording in RULE_FRAMES:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = {k: conditional_escape(v) for k, v in found.groupdict().items() if v is not None}
        values["m"] = _sentence(found["m"])
        if "words" in values:
            values["words"] = _fact_words(found["words"])
        said = gettext(wording) % values
        if found["registry"]:
            said += gettext("（依据登记册：%(sources)s）") % {"sources": _quoted(found["registry"])}
        return mark_safe(said)  # every value above is escaped or built by format_html
    return pack_text(message)
