"""An application's 办理记录 rows written in Python (issue 22).

The status page and the clerk's review page list every state change; through the template engine
each row costs a date filter, two `get_…_display` (Django builds the choices' dict each time), a
`zh` filter and a loop over the checklist per returned item. `history_rows(app, checklist)`
writes the same bytes as the loop both pages had (tests/applications/test_history_html.py renders
both, with hostile text), from the history read as tuples (no model instances, no join to the
actor: the row shows the label kept when it was made).
"""

from __future__ import annotations

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from duixian.applications.models import ApplicationState, StateChange
from duixian.core import memos
from duixian.core.compiled import CompiledRows
from duixian.core.templatetags.kept import date
from duixian.core.templatetags.quoted import zh_for_page

_HISTORY = CompiledRows(StateChange, lambda app_id: StateChange.objects.filter(application_id=app_id)
                        .order_by("at", "pk").values_list("at", "actor_label", "action", "from_state", "to_state",
                                                          "reason", "item_reasons"), (-7_310_557,))

# The states' and actions' labels, escaped, per language.
_LABELS: memos.TextMemo = memos.text_memo(8)


def _labels(language: str) -> dict:
    labels = _LABELS.get(language)
    if labels is None:
        from duixian.applications.workflow import TRANSITIONS

        labels = _LABELS.put(language, {
            "states": {value: conditional_escape(str(label)) for value, label in ApplicationState.choices},
            "actions": {action: conditional_escape(str(t.label)) for action, t in TRANSITIONS.items()},
            "other": conditional_escape(gettext("其他")), "colon": conditional_escape(gettext("："))})
    return labels


def _shown(value) -> str:
    """`{{ value }}` in a template: localized, then escaped."""
    return conditional_escape(value if isinstance(value, str) else localize(value))


def history_rows(app, checklist: dict, *, other: bool = False) -> SafeString:
    """The rows of `app`'s history, as the pages' loop wrote them; `checklist`: item id -> text,
    `other`: the review page's loop, which names the item 其他 ("other") too."""
    labels = _labels(get_language() or "")
    states, actions, colon = labels["states"], labels["actions"], labels["colon"]
    zh = zh_for_page()
    moment = gettext("Y年n月j日 H:i:s")
    out = []
    for at, actor_label, action, from_state, to_state, reason, item_reasons in _HISTORY.all(app.pk):
        items = ""
        if isinstance(item_reasons, dict):
            parts = []
            for item, why in item_reasons.items():
                text = _shown(checklist[item]) if item in checklist else ""
                named = labels["other"] if other and item == "other" else ""
                parts.append(f"<br>{text}{named}{colon}{_shown(why)}")
            items = "".join(parts)
        out.append(
            f"<tr><td>{conditional_escape(date(template_localtime(at), moment))}</td><td>{zh(actor_label)}</td>"
            f"<td>{actions.get(action) or conditional_escape(action)}</td>\n"
            f"    <td>{states.get(from_state) or _shown(from_state)} → {states.get(to_state) or _shown(to_state)}</td>\n"
            f"    <td>{zh(reason)}{items}</td></tr>")
    return mark_safe("".join(out))
