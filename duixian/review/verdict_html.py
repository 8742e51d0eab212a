"""The review page's verdict panels (系统预审) written in Python (issue 22).

The review page shows the snapshot's verdict, and on request the verdict recomputed, through
policy/_verdict.html: a status tag, a note, the amount, and for each of its ten or so rules an
outcome label, the citation through `pack_text` and the explanation through `rule_message`
(regular expressions on English pages): about a tenth of the page through the template engine.
`verdict_html(verdict, name)` writes what `{% include "policy/_verdict.html" with name=… %}` writes
on that page (no `open_only`, `hide_amount`, `amount_note` nor `detailed`), byte for byte
(tests/review/test_verdict_html.py renders both for every status, outcome, amount, error and
hostile text, Chinese and English). Each rule's line depends only on its outcome, citation and
explanation and the language, which repeat across applications (the pack's sentences): it is
kept per language, bounded.

Only while policy/_verdict.html is the text this was written from (its SHA-256 below): after any
change to it, `verdict_html` returns None and the page renders the template, until this writer
is brought up to date (a test fails meanwhile).
"""

from __future__ import annotations

import hashlib
from html import escape as html_escape

from django.template import Context, engines
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from duixian.core import memos
from duixian.policy import display
from duixian.policy.templatetags.verdicts import status_tag

TEMPLATE = "policy/_verdict.html"
KNOWN_SHA256 = "a443a276c84bdd847d0adb88f9f122959fd28c52f5d83631fee83277eba0567f"

_KNOWN: memos.TextMemo = memos.text_memo(1)  # whether the template is still the known text
# (outcome, citation, explanation, language) -> the rule's line: a few packs' sentences x outcomes x 2.
_LINES: memos.TextMemo = memos.text_memo(4096)
# (status, name, pack version, language) -> the words around the rules.
_FRAMES: memos.TextMemo = memos.text_memo(256)

_PACK_LINE = engines["django"].from_string(
    "{% load i18n %}{% blocktranslate with v=v %}依据政策包 {{ v }}{% endblocktranslate %}")


def template_known() -> bool:
    known = _KNOWN.get(TEMPLATE)
    if known is None:
        source = get_template(TEMPLATE).template.source
        known = _KNOWN.put(TEMPLATE, hashlib.sha256(source.encode()).hexdigest() == KNOWN_SHA256)
    return known


def verdict_html(verdict, name: str) -> str | None:
    """The panel for `verdict` with ids `{name}-verdict` and `{name}-pack`; None (the template
    renders it) for no verdict or when the template has changed."""
    if not verdict or not name or not template_known():
        return None
    language = get_language()
    context = Context()
    head, tail = _frame(verdict.status, name, verdict.pack_version, language)
    amount = ""
    if verdict.max_amount_wan is not None:
        amount = (f"<br>{conditional_escape(gettext('可兑现上限：'))}<strong>"
                  f"{render_value_in_context(verdict.max_amount_wan, context)} {conditional_escape(gettext('万元'))}"
                  f"</strong>")
    error = (f'<p class="errorlist">{render_value_in_context(verdict.error, context)}</p>'
             if verdict.error else "")
    rules = "".join([_line(rule, language, context) for rule in verdict.rules])
    return mark_safe(f'{head}{amount}</p>\n{error}\n<ul class="rule-list">{rules}</ul>\n{tail}\n\n')


def _frame(status, name, pack_version, language) -> tuple[str, str]:
    """(the status line up to the amount, the pack line): the same for every verdict of a status
    and pack version in a language."""
    key = (status, name, pack_version, language)
    try:
        frame = _FRAMES.get(key)
    except TypeError:  # a value that cannot be a key: written each time
        frame, key = None, None
    if frame is None:
        note = display.status_note(status)
        note = f' <span class="muted">{conditional_escape(note)}</span>' if note else ""
        head = f'\n<p class="verdict-status">{status_tag(status, name + "-verdict")}{note}\n'
        tail = ""
        if pack_version:
            words = _PACK_LINE.render({"v": pack_version})
            tail = f'<p class="muted"><span id="{html_escape(name)}-pack">{words}</span></p>'
        frame = (head, tail)
        if key is not None:
            _FRAMES.put(key, frame)
    return frame


def _line(rule, language, context) -> str:
    key = (rule.outcome, rule.citation.text, rule.message, language)
    try:
        line = _LINES.get(key)
    except TypeError:  # a value that cannot be a key: written each time
        line, key = None, None
    if line is None:
        line = (f'\n  <li class="outcome-{render_value_in_context(rule.outcome, context)}">'
                f"<strong>{conditional_escape(display.outcome_label(rule.outcome))}</strong>\n"
                f'    · <span class="citation-ref">{display.pack_text(rule.citation.text)}</span> · '
                f"{display.rule_message(rule.message)}</li>\n")
        if key is not None:
            _LINES.put(key, line)
    return line
