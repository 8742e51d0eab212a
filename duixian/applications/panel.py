"""The live verdict panel (applications/_verdict.html, around policy/_verdict.html), written once
per distinct reading of a verdict and language in a process, then reused (issue 22).

The panel is what the task list, each section form, 确认信息 and every autosave show beside the
form: the status, 可兑现上限, the engine's refusal and 10-20 rule lines, each with its outcome, the
notice's place and the explanation (in English pages, each explanation matched against the
engine's framings and translated). Its HTML depends on nothing but what `_reading` collects (the
template reads nothing else of the page: no `name`, `detailed`, `open_only`, `hide_amount` or
`amount_note` on these pages), the page's language and the two templates' text. Drafts that
answer alike read alike, and one applicant opens these pages again and again with the same
answers, so the same reading comes back often; a new one renders through the templates as before.

The memo holds the rendered HTML for at most `SIZE` readings (least recently used first out). It
keys on the loaded template objects, so a template the development server reloads renders again,
and is emptied when the autoreloader sees any file change (a catalogue compiled anew).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

PANEL = "applications/_verdict.html"
VERDICT = "policy/_verdict.html"
SIZE = 512

_LOCK = Lock()
_MEMO: OrderedDict[tuple, str] = OrderedDict()


def _reading(verdict) -> tuple:
    """Everything of the verdict the panel shows, as a key: equal keys give equal HTML. A value
    keeps its type's name beside its text (Decimal 24 and 24.00 compare equal, print apart)."""
    amount = verdict.max_amount_wan
    return (
        str(verdict.status), None if amount is None else (type(amount).__name__, str(amount)),
        str(verdict.error or ""), str(verdict.pack_version or ""),
        tuple((str(r.outcome), str(r.kind), str(r.citation.text), str(r.message)) for r in verdict.rules),
    )


def verdict_panel(verdict, *, oob: bool = False) -> SafeString:
    """The panel's HTML for this verdict (None: no verdict yet) on the current language's page;
    `oob`: the autosave's out-of-band swap (hx-swap-oob)."""
    panel = get_template(PANEL)
    context = {"verdict": verdict, "oob": oob}
    if verdict is None:
        return mark_safe(panel.render(context))
    key = (translation.get_language(), bool(oob), panel.template, get_template(VERDICT).template, _reading(verdict))
    html = _MEMO.get(key)
    if html is None:
        html = panel.render(context)
        with _LOCK:
            _MEMO[key] = html
            while len(_MEMO) > SIZE:
                _MEMO.popitem(last=False)
    else:
        try:
            _MEMO.move_to_end(key)
        except KeyError:  # evicted by another thread meanwhile: it is still this reading's HTML
            pass
    return mark_safe(html)


def forget(**_kwargs) -> None:
    """Empty the memo (the autoreloader saw a file change: a template or a catalogue)."""
    with _LOCK:
        _MEMO.clear()


try:  # the development server's reloader: a changed .mo file is read again without a restart
    from django.utils.autoreload import file_changed

    file_changed.connect(forget, dispatch_uid="duixian.applications.panel.forget")
except ImportError:  # pragma: no cover
    pass
