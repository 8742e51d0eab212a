"""applications.history_html writes the 办理记录 rows byte for byte as the status page's and the
review page's template loops did, hostile text escaped, in Chinese and English."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.applications.history_html import history_rows
from duixian.applications.models import StateChange
from duixian.applications.selectors import state_history
from duixian.applications.services import application_submit
from duixian.review.services import review_decide

from .conftest import at
from .test_pinned_pages import HOSTILE, _draft

pytestmark = pytest.mark.django_db

# The loops the two pages had (applications/status.html, review/detail.html)
STATUS_LOOP = """{% load i18n quoted %}{% for h in history %}<tr><td>{{ h.at|date:_("Y年n月j日 H:i:s") }}</td><td>{{ h.actor_label|zh }}</td><td>{{ h.action_label }}</td>
    <td>{{ h.get_from_state_display }} → {{ h.get_to_state_display }}</td>
    <td>{{ h.reason|zh }}{% for item, why in h.item_reasons.items %}<br>{% for k, v in checklist.items %}{% if k == item %}{{ v }}{% endif %}{% endfor %}{% translate "：" %}{{ why }}{% endfor %}</td></tr>{% endfor %}"""
REVIEW_LOOP = """{% load i18n quoted %}{% for h in history %}<tr><td>{{ h.at|date:_("Y年n月j日 H:i:s") }}</td><td>{{ h.actor_label|zh }}</td><td>{{ h.action_label }}</td>
    <td>{{ h.get_from_state_display }} → {{ h.get_to_state_display }}</td>
    <td>{{ h.reason|zh }}{% for item, why in h.item_reasons.items %}<br>{% for k, v in checklist.items %}{% if k == item %}{{ v }}{% endif %}{% endfor %}{% if item == "other" %}{% translate "其他" %}{% endif %}{% translate "：" %}{{ why }}{% endfor %}</td></tr>{% endfor %}"""


def test_the_rows_are_the_loops(users, time_machine):
    time_machine.move_to(at("2026-04-20 10:00:00"), tick=False)
    user, clerk = users["hefei_applicant"], users["hefei_clerk"]
    app = application_submit(_draft(user, f"退回项目{HOSTILE}"), user=user, token="tok-h", declaration=True)
    time_machine.move_to(at("2026-04-22 15:30:00"), tick=False)
    items = policy_bridge.checklist_items("2", policy_bridge.application_pack(app))
    app = review_decide(app, "return", user=clerk, reason=f"请补正{HOSTILE}",
                        item_reasons={"other": f"另{HOSTILE}", items[0].id: f"缺少{HOSTILE}"})
    # a label and a state no longer known (an old row) are shown as they are, escaped
    StateChange.objects.create(application=app, action=f"old{HOSTILE}", from_state="returned",
                               to_state=f"gone{HOSTILE}", actor_label=f"Clerk {HOSTILE}", at=app.updated_at,
                               reason="plain reason <b>", item_reasons=["not", "a", "dict"])
    StateChange.objects.create(application=app, action="return", from_state="submitted", to_state="returned",
                               actor_label="", at=app.updated_at, reason="",
                               item_reasons={"gone": "x&y", items[1].id: 5, "other": None})
    checklist = {i.id: f"{i.text}{HOSTILE}" for i in items}
    assert StateChange.objects.filter(application=app).count() == 4
    for language in ("zh-hans", "en"):
        with translation.override(language):
            context = {"history": list(state_history(app)), "checklist": checklist}
            status = history_rows(app, checklist)
            assert status == Template(STATUS_LOOP).render(Context(context))
            assert history_rows(app, checklist, other=True) == Template(REVIEW_LOOP).render(Context(context))
            assert "<script>" not in status and "&lt;script&gt;" in status
