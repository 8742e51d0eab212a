"""`{% load deadline_box %}` … `{% deadline_box deadline %}`: review/_deadline.html, rendered once per
deadline, day and language and then served from memory (issue 22).

The box says the city deadline, the calendar and working days left and the notice's sentence: the
same for every work list and review page of a batch on one day in one language, yet some twenty
`{% translate %}` a page. The key is the whole selectors.Deadline (its moment, words and time left,
all immutable) and the language; the template renders only from it.
"""

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from duixian.core import memos

register = template.Library()

# A few batches x two languages x the days a process lives.
_BOXES: memos.TextMemo = memos.text_memo(64)


@register.simple_tag
def deadline_box(deadline):
    key = (deadline, translation.get_language())
    try:
        box = _BOXES.get(key)
    except TypeError:  # a deadline that cannot be a key: rendered each time
        return mark_safe(get_template("review/_deadline.html").render({"deadline": deadline}))
    if box is None:
        box = _BOXES.put(key, mark_safe(get_template("review/_deadline.html").render({"deadline": deadline})))
    return box
