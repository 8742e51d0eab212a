"""The review page's checklist rows kept per pack, language and every row's item, text, system
outcome, saved result and note (review.views._CHECKLISTS): a saved result, a changed verdict or
the language shows at once; a refused save is written through the template as before."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.test import override_settings
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.policy.verdict import Outcome
from duixian.review import selectors, views
from duixian.review.checklist_html import checklist_body
from duixian.review.forms import ChecklistForm

from .conftest import at, signin

pytestmark = pytest.mark.django_db

HOSTILE = "<script>\"'&"


def _fresh(rows, pack):
    return checklist_body(ChecklistForm(rows=rows, prefix="cl"), pack)


def test_the_kept_rows_follow_every_value(submitted):
    pack = policy_bridge.application_pack(submitted)
    rows = selectors.checklist_rows(submitted)
    changed = [dataclasses.replace(rows[0], result="fail"), dataclasses.replace(rows[0], note=f"说明{HOSTILE}"),
               dataclasses.replace(rows[0], text=f"改{HOSTILE}"),
               dataclasses.replace(rows[0], outcomes=(dataclasses.replace(rows[0].outcomes[0], outcome=Outcome.FAIL),)
                                   if rows[0].outcomes else ())]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            views._keep_checklist(rows, pack, _fresh(rows, pack))
            assert views._kept_checklist(rows, pack) == _fresh(rows, pack)
            for first in changed:
                other = [first, *rows[1:]]
                if views._checklist_key(other, pack) == views._checklist_key(rows, pack):
                    continue  # the same row (an outcome it already had)
                assert views._kept_checklist(other, pack) is None
    with translation.override("en"):
        english = views._kept_checklist(rows, pack)
    assert english != views._kept_checklist(rows, pack)
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert views._kept_checklist(rows, pack) is None


def test_a_saved_result_shows_at_once(client, users, submitted, time_machine):
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    path = f"/review/{submitted.pk}/"
    checked = re.compile(r'value="pass" id="id_cl-result_scene_\d" checked')
    assert not checked.search(client.get(path).content.decode())
    client.get(path)  # kept
    client.post(f"{path}checklist/", {"cl-result_scene": "pass", "cl-note_scene": f"现场{HOSTILE}"})
    page = client.get(path).content.decode()
    assert checked.search(page)
    assert "现场&lt;script&gt;&quot;&#x27;&amp;</textarea>" in page
