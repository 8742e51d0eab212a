"""The task list's items (applications/tasks.html), written here instead of through the template
engine (issue 22): each section's link, title and status tag were a loop of a `{% url %}`, two
`{% if %}`s and two variables a task.

Byte for byte what the template's loop wrote (tests/applications/test_pinned_pages.py pins the
page in Chinese and English). A link's halves around the application's number are worked out once
per link, language, URL prefix and URL conf and kept with the other memos (duixian.core.memos).
"""

from __future__ import annotations

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from duixian.core import memos

_LINKS = memos.text_memo(1024)
_LABELS = memos.text_memo(64)  # a status's words (escaped) per language
_PK = 987654321  # a stand-in reversed once, then replaced by each application's own
_TAGS = {"completed": "ok", "in_progress": "warn"}


def _link(task, page: tuple) -> tuple[str, str]:
    """(head, tail) of the task's link, escaped, around the application's number; `page`: the
    language, URL prefix and URL conf."""
    key = (task.url_name, task.key, *page)
    found = _LINKS.get(key)
    if found is None:
        if task.url_name == "section":
            url = reverse("applications:section", args=[_PK, task.key])
        else:
            url = reverse("applications:materials", args=[_PK])
        head, _mark, tail = url.partition(str(_PK))
        found = _LINKS.put(key, (esc(head), esc(tail)))
    return found


def task_items(app, tasks) -> SafeString:
    """The `<li>` of each task (selectors.task_list), as the template's loop wrote them."""
    pk = str(app.pk)
    language = translation.get_language()
    page = (language, get_script_prefix(), get_urlconf())
    out = []
    for task in tasks:
        head, tail = _link(task, page)
        label = _LABELS.get((task.status, language))
        if label is None:
            label = _LABELS.put((task.status, language), esc(task.status_label))
        out.append(f'\n  <li><a href="{head}{pk}{tail}">{esc(task.title)}</a>\n      <span class="tag '
                   f'{_TAGS.get(task.status, "")}">{label}</span></li>\n  ')
    return mark_safe("".join(out))
