"""review.verdict_html writes the review page's verdict panels as policy/_verdict.html writes them
there, byte for byte, Chinese and English (issue 22): every status (and an unknown one), an amount
or none, an engine error, rules of every outcome and kind with the pack's own sentences, the
engine's framings, a message of another shape and hostile text, a pack version or none; written
twice (the second time from memory). While the template is not the text the writer knows, the
page renders the template."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from duixian.core import memos
from duixian.policy.verdict import Citation, Outcome, RuleOutcome, Status, Verdict
from duixian.review import verdict_html as writer

INCLUDE = engines["django"].from_string('{% include "policy/_verdict.html" with name=name %}')
HOSTILE = "<script>\"'&amp;"


def _rules():
    rules = []
    rules += [
        RuleOutcome("a", Outcome.PASS, "hard", Citation(6, 1, None, "六、（一）"), "满足：项目须在安徽省内发生。"),
        RuleOutcome("b", Outcome.FAIL, "hard", Citation(6, 2, None, "六、（二）"),
                    "不满足：须在系统开放期间（2026年4月10日8:00至5月5日23:59关闭前）提交。"),
        RuleOutcome("c", Outcome.UNKNOWN, "review", Citation(2, 1, None, "二、（一）"),
                    "待评审：场景应用示范效果明显，具有应用推广价值（由评审专家判断）。"),
        RuleOutcome("d", Outcome.UNKNOWN, "evidence", Citation(2, 2, 1, "二、（二）1"), "尚未填写：申报单位须拥有明晰的自主知识产权。"),
        RuleOutcome("e", Outcome.FAIL, "hard", Citation(None, None, None, f"{HOSTILE}条"), f"不满足：{HOSTILE}中文"),
        RuleOutcome("f", Outcome.PASS, "hard", Citation(None, None, None, "plain <b>"), f"plain message {HOSTILE}"),
        RuleOutcome("g", Outcome.PASS, "hard", Citation(None, None, None, ""), ""),
        RuleOutcome("h", Outcome.PASS, "evidence", Citation(2, 2, 1, "二、（二）1"),
                    "满足：申报单位须拥有明晰的自主知识产权（以知识产权证明材料为准）。"),
        RuleOutcome("i", Outcome.PASS, "hard", Citation(2, 2, 1, "二、（二）1"), "满足：申报单位必须为场景机会业主单位。"),
    ]
    return tuple(rules)


RULES = _rules()
VERDICTS = [
    Verdict("2", Status.ELIGIBLE, Decimal("100"), "anhui-agi-2.0-2026", "2026.1", build_rules=RULES),
    Verdict("2", Status.INELIGIBLE, Decimal("1234567.50"), "anhui-agi-2.0-2026", "2026.1", build_rules=RULES[:3]),
    Verdict("2", Status.NEEDS_REVIEW, None, "anhui-agi-2.0-2026", "2026.1", build_rules=RULES),
    Verdict("5", Status.EVALUATION_ONLY, Decimal("0"), None, None, build_rules=RULES[-2:]),
    Verdict("2", Status.ERROR, None, None, None, error=f"金额格式有误 {HOSTILE}", field="x", build_rules=()),
    Verdict("2", "made-up", Decimal("0.05"), None, f"v{HOSTILE}", build_rules=RULES[:1]),
    Verdict("2", Status.ELIGIBLE, None, None, "2026.1", build_rules=()),
]


@pytest.mark.parametrize("name", ["snapshot", "recomputed"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_panel_is_the_templates(language, name):
    assert writer.template_known()
    memos.forget_all()
    with translation.override(language):
        for _round in range(2):  # worked out, then remembered
            for verdict in VERDICTS:
                assert writer.verdict_html(verdict, name) == INCLUDE.render({"verdict": verdict, "name": name}), verdict


def test_no_verdict_is_left_to_the_template():
    assert writer.verdict_html(None, "snapshot") is None


def test_a_changed_template_is_rendered_as_it_is(monkeypatch):
    memos.forget_all()
    monkeypatch.setattr(writer, "KNOWN_SHA256", "0" * 64)
    assert writer.verdict_html(VERDICTS[0], "snapshot") is None
    memos.forget_all()
    monkeypatch.undo()
    assert writer.verdict_html(VERDICTS[0], "snapshot") is not None


@pytest.mark.django_db
def test_the_review_page_writes_its_verdicts_in_python(client, users, submitted, time_machine, monkeypatch):
    from duixian.review import views

    from .conftest import at, signin

    called = []
    real = views.verdict_html
    monkeypatch.setattr(views, "verdict_html", lambda verdict, name: called.append(name) or real(verdict, name))
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    client.get(f"/review/{submitted.pk}/?recompute=1")
    assert called == ["snapshot", "recomputed"]
