"""The live verdict panel is written once per reading of a verdict and language, then reused
(duixian.applications.panel, issue 22): each time it is exactly what applications/_verdict.html
gives for that verdict, in Chinese and English, whatever was shown before it."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from duixian.applications import panel, policy_bridge
from duixian.applications.selectors import application_verdict
from duixian.policy.verdict import Outcome

pytestmark = pytest.mark.django_db


def _template(verdict, oob=False):
    return render_to_string("applications/_verdict.html", {"verdict": verdict, "oob": oob})


@pytest.fixture
def verdicts(complete_draft):
    panel.forget()
    verdict = application_verdict(complete_draft)
    first = verdict.rules[0]
    return [
        verdict,
        replace(verdict, max_amount_wan=Decimal("24")),  # equal to 24.00, printed otherwise
        replace(verdict, max_amount_wan=None),
        verdict.with_rules((replace(first, outcome=Outcome.FAIL, message=f"不满足：<script>\"'&{first.message}"),
                            *verdict.rules[1:])),
        verdict.with_rules(verdict.rules[1:]),
        replace(verdict, error="<b>金额</b>格式不对", pack_version="9.9"),
        None,
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_panel_is_the_templates_html_for_each_verdict(verdicts, language):
    with translation.override(language):
        for _round in range(2):  # the second round is served from the memo
            for verdict in verdicts:
                for oob in (False, True):
                    assert panel.verdict_panel(verdict, oob=oob) == _template(verdict, oob)


def test_a_panel_shown_in_one_language_is_not_reused_in_the_other(verdicts):
    verdict = verdicts[0]
    with translation.override("zh-hans"):
        chinese = panel.verdict_panel(verdict)
    with translation.override("en"):
        english = panel.verdict_panel(verdict)
        assert english == _template(verdict) and english != chinese
    assert "系统预审（实时）" in chinese and "System pre-check (live)" in english


def test_the_memo_keeps_a_bounded_number_of_panels(verdicts, monkeypatch):
    monkeypatch.setattr(panel, "SIZE", 3)
    with translation.override("zh-hans"):
        for verdict in verdicts:
            panel.verdict_panel(verdict)
    assert len(panel._MEMO) == 3
    with translation.override("zh-hans"):
        assert panel.verdict_panel(verdicts[0]) == _template(verdicts[0])  # evicted, rendered again


def test_the_panel_follows_the_page(client, users, complete_draft):
    """The task list, a section and 确认信息 show the panel of the application's own verdict."""
    from tests.applications.conftest import signin

    signin(client, users["hefei_applicant"])
    expected = _template(application_verdict(complete_draft))
    for path in ("tasks/", "section/project/", "check/"):
        assert expected in client.get(f"/applications/{complete_draft.pk}/{path}").content.decode()


def test_the_deadlines_in_words_follow_the_batch_and_the_language():
    """The task list, 确认信息 and the status page say the batch's deadlines, worked out once per
    batch's moments and language (duixian.applications.views._window_texts): another batch's
    moments, or the other language, are never said from the memo."""
    from dataclasses import replace as copy
    from datetime import timedelta

    from duixian.applications.views import _window_context

    pack = policy_bridge.get_pack()
    later = copy(pack, application_close=pack.application_close + timedelta(days=1))
    with translation.override("zh-hans"):
        first, moved = _window_context(pack=pack), _window_context(pack=later)
    with translation.override("en"):
        english = _window_context(pack=pack)
    assert first["close_text"] == "2026年5月5日 23:59" and moved["close_text"] == "2026年5月6日 23:59"
    assert "2026年5月6日 23:58:59" in moved["close_statement"]
    assert english["close_text"] == "5 May 2026, 23:59" and english["city_deadline_text"] != first["city_deadline_text"]
