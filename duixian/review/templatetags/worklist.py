"""`{% load worklist %}` … `{% worklist_rows applications review_url choose row_date %}`: the rows of
the clerk's work list written in Python (issue 22).

Through the template engine each of the list's 50 rows cost some fifteen variable lookups, three
`zh` filters (each asking the page's language), a date with its time-zone conversion and format
lookup, the verdict's tag and the state's label: most of the page's CPU. Here what is the same for
every row is worked out once a page (the language, the date format compiled, the decimal
separator, each verdict's tag, state label and clause label the first time it is met), and every
value is escaped as the template escaped it. The HTML is the template's byte for byte, Chinese and
English: tests/review/test_worklist_html.py pins the whole list, test_worklist_rows.py the date
and the amount against Django's own filters.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape as html_escape

from django import template
from django.conf import settings
from django.utils import numberformat, timezone, translation
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.dates import MONTHS
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from duixian.applications import policy_bridge
from duixian.core import memos
from duixian.core.templatetags.quoted import HAN, quoting, zh_for_page
from duixian.policy.templatetags.verdicts import status_tag
from duixian.review.selectors import WorklistRow

register = template.Library()


def date_writer(format_string):
    """`{{ value|date:format_string }}` for many values of one page: the format looked up and split
    once, the month names translated once; the value shown in the current time zone, as the
    template's `date` filter shows it."""
    format_string = str(get_format(format_string or "DATE_FORMAT"))
    months = {number: str(name) for number, name in MONTHS.items()}
    fast = {
        "n": lambda d: str(d.month), "j": lambda d: str(d.day), "F": lambda d: months[d.month],
        "H": lambda d: "%02d" % d.hour, "i": lambda d: "%02d" % d.minute, "Y": lambda d: str(d.year),
    }
    pieces = []
    for i, piece in enumerate(re_formatchars.split(format_string)):
        if i % 2:
            pieces.append(fast.get(piece) or (lambda d, p=piece: str(getattr(DateFormat(d), p)())))
        elif piece:
            pieces.append(lambda d, text=re_escaped.sub(r"\1", piece): text)
    zone = timezone.get_current_timezone()
    use_tz = settings.USE_TZ

    def write(value) -> str:
        if value in (None, ""):
            return ""
        if not isinstance(value, datetime):  # a date, or anything else: the filter itself
            from django.template.defaultfilters import date

            return escape(date(value, format_string))
        if use_tz and not timezone.is_naive(value):
            value = value.astimezone(zone)
        return html_escape("".join([piece(value) for piece in pieces]))

    return write


def number_writer():
    """`{{ value|localize }}` for many values of one page: the separators looked up once."""
    lang = translation.get_language()
    decimal_sep = get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
    thousand_sep = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)

    def write(value) -> str:
        if isinstance(value, str):
            return conditional_escape(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            from django.utils.formats import localize

            return conditional_escape(str(localize(value, use_l10n=True)))
        return conditional_escape(numberformat.format(value, decimal_sep, None, grouping, thousand_sep,
                                                      force_grouping=False, use_l10n=True))

    return write


def _text(value) -> str:
    """`{{ value }}` under {% localize off %}: escaped unless safe (None reads "None")."""
    if type(value) is str:  # what the template's escaping does to plain text, without its wrappers
        return html_escape(value)
    if type(value) is int:  # digits need no escaping
        return str(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


class RowWriter:
    def __init__(self, review_url, choose, row_date):
        self.zh = zh_for_page()
        self.quoting = quoting()
        self.date = date_writer(row_date)
        self.number = number_writer()
        self.review_url = _text(review_url)
        self.choose = _text(choose)
        self.tags: dict = {}
        self.states: dict = {}
        self.clauses: dict = {}
        self.amounts: dict = {}

    def quoted(self, value) -> str:
        if type(value) is str:  # `zh` on plain text, without its wrappers
            if self.quoting and HAN.search(value):
                return f'<span lang="zh-Hans">{html_escape(value)}</span>'
            return html_escape(value)
        shown = self.zh(value)
        return "None" if shown is None else shown

    def status(self, status) -> str:
        if status is not None and type(status) is not str:  # a stored JSON value of another kind
            return conditional_escape(status_tag(status))
        try:
            return self.tags[status]
        except KeyError:
            tag = self.tags[status] = conditional_escape(status_tag(status))
            return tag

    def state(self, app) -> str:
        state = app.state
        try:
            return self.states[state]
        except KeyError:
            cell = self.states[state] = (f'<span class="tag state-{_text(state)}">'
                                         f"{_text(app.state_label)}</span>")
            return cell

    def clause(self, app) -> str:
        key = (app.clause, app.application_type, app.batch_id)
        try:
            return self.clauses[key]
        except KeyError:
            cell = self.clauses[key] = self.quoted(app.clause_label)
            return cell

    def amount(self, amount) -> str:
        """The amount as `number` writes it, each value once a page (amounts repeat). Keyed by its
        text and type: Decimal("24.0") equals Decimal("24.00") but is written otherwise."""
        if amount is None:
            return self.number("—")
        key = (type(amount), str(amount))
        try:
            return self.amounts[key]
        except KeyError:
            shown = self.amounts[key] = self.number(amount)
            return shown

    def row(self, app) -> str:
        pk, ref = _text(app.pk), _text(app.reference)
        amount = app.amount_requested_wan
        tick = (f'<input type="checkbox" name="selected" value="{pk}" id="sel-{pk}" aria-label="{self.choose} {ref}">'
                if app.state == "submitted" else "")
        return (f'<tr>\n      <td>{tick}</td>\n      <td><a href="{self.review_url}{pk}/">{ref}</a></td>\n'
                f"      <td>{self.quoted(app.organisation_name)}</td><td>{self.quoted(app.project_name)}</td>"
                f"<td>{self.clause(app)}</td>\n"
                f'      <td class="num">{self.amount(amount)}</td>\n'
                f"      <td>{self.date(app.first_submitted_at)}</td>\n"
                f"      <td>{self.status(app.snapshot_status)}</td>\n"
                f"      <td>{self.state(app)}</td></tr>\n    ")


# Each row as written, per everything it shows and the page's words: the same applications are
# listed again and again (every clerk's view of a city's list, a row unchanged until its
# application is), so most rows are written once. The key is the row's every value (its amount
# by text and type: 24.0 and 24.00 are equal but written otherwise; a verdict status other than
# a text or none is not kept), the pack in force for its batch (the clause's label), the language, the time
# zone and the page's words; forgotten when a setting changes (duixian.core.memos).
_ROWS: memos.TextMemo = memos.text_memo(8192)


def _pack_of(batch_id: str):
    """The pack whose clause label a row of `batch_id` shows (policy_bridge.clause_label); None
    when it cannot be told (the row is then written, not kept)."""
    try:
        return policy_bridge.batch_pack(batch_id) if batch_id else policy_bridge.get_pack()
    except Exception:  # the pack failed to load: clause_label shows the bare number, not kept
        return None


@register.simple_tag
def worklist_rows(applications, review_url, choose, row_date):
    """The list's rows: `applications` (with `organisation_name` and `snapshot_status`,
    selectors.worklist), the detail link
    as `review_url` + pk + "/", the checkbox's label word `choose`, the date's format `row_date`."""
    writer = RowWriter(review_url, choose, row_date)
    page = (translation.get_language(), timezone.get_current_timezone_name(), str(review_url), str(choose),
            str(row_date))
    packs: dict = {}
    out = []
    for app in applications:
        if type(app) is not WorklistRow:  # a filtered list's Application objects: written each time
            out.append(writer.row(app))
            continue
        batch_id = app.batch_id
        pack = packs[batch_id] if batch_id in packs else packs.setdefault(batch_id, _pack_of(batch_id))
        amount, status = app.amount_requested_wan, app.snapshot_status
        if pack is None or not (status is None or type(status) is str):  # a stored JSON value of another kind
            out.append(writer.row(app))
            continue
        key = (page, id(pack), app.pk, app.reference, app.state, app.project_name, app.clause, app.application_type,
               batch_id, type(amount), str(amount), app.first_submitted_at, app.organisation_name, status)
        found = _ROWS.get(key)
        if found is None or found[0] is not pack:
            found = _ROWS.put(key, (pack, writer.row(app)))
        out.append(found[1])
    return mark_safe("".join(out))
