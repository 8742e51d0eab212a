"""A submission's answers as (label, value) rows, as the reviewers' pages show them: the clerk's
review page and the expert's scoring page (issue 20: experts see the answers, not only files)."""

from django.utils.translation import gettext as _

from duixian.applications import policy_bridge, questions as q


def answer_rows(snapshot) -> list[tuple[str, str]]:
    """(label, value) for every answer of a submission, in the page's language, named by the
    application's own batch's pack (a later notice may ask what the default batch's does not)."""
    if snapshot is None:
        return []
    flat = q.flatten(snapshot.answers or {})
    app = snapshot.application
    pack = policy_bridge.application_pack(app)
    vocabulary = pack.facts
    rows = []
    for name, value in _in_form_order(flat, q.sections_for(app.clause, app.application_type, pack), vocabulary):
        spec = vocabulary.get(name)
        label = _(spec.label) if spec else name  # the pack's words, translated by the catalogue
        if name == "conversion.agreement_region_code" and isinstance(value, str):
            from duixian.codes.divisions import OUTSIDE_ANHUI, region_label

            rows.append((label, _("安徽省外的地市或县区") if value == OUTSIDE_ANHUI else (region_label(value) or value)))
            continue
        if spec and spec.type == "datetime" and isinstance(value, str):
            rows.append((label, _local_time(value)))
            continue
        if spec and spec.type == "date" and value is not None:
            rows.append((label, date_answer_text(value)))
            continue
        rows.append((label, _display(value, dict(spec.choice_words) if spec else {})))
    return rows


def _in_form_order(flat: dict, sections, vocabulary) -> list[tuple[str, object]]:
    """The answers in the order the form asks them, section by section; then the facts the form
    does not ask in the pack's order; then the rest by name. Never the stored order: PostgreSQL
    keeps a snapshot's keys in jsonb's own order (shorter names first), which showed the clerk and
    the experts the answers shuffled, and differently than SQLite."""
    asked: dict[str, int] = {}
    for section in sections:
        for question in section.questions:
            asked.setdefault(question.name, len(asked))
    facts = {name: n for n, name in enumerate(vocabulary.given)}

    def place(item):
        name = item[0]
        if name in asked:
            return (0, asked[name], "")
        return (1, facts[name], "") if name in facts else (2, 0, name)

    return sorted(flat.items(), key=place)


def date_answer_text(value) -> str:
    """A date answer (stored as ISO 2025-12-01) as the pages show it (issue 20): 2025年12月1日, or
    1 December 2025 on English pages. Only the display: the stored value, the exports and the API
    keep ISO 8601 (CONTRACTS.md). A value that is not a date is shown as it is."""
    from datetime import date

    from duixian.core.moments import day_text

    if isinstance(value, date):  # a datetime too: taken on its Beijing calendar day
        return day_text(value)
    if isinstance(value, str):
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def _local_time(text: str) -> str:
    """A stored ISO timestamp (the snapshot's submitted_at) as the Beijing time the pages show."""
    from datetime import datetime

    from django.utils import timezone
    from django.utils.dateformat import format as date_format

    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return date_format(timezone.localtime(moment), _("Y年n月j日 H:i:s"))


def _display(value, words: dict) -> str:
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if value is None:
        return _("无 / 尚未完成")
    if isinstance(value, list):
        return _("、").join(_(words[v]) if v in words else str(v) for v in value) or _("无")
    return _(words[value]) if isinstance(value, str) and value in words else str(value)
