"""The review page's 推荐 and 不予推荐 fields, unbound, kept per state, override and language
(review.views._decision_body): the same bytes as the forms rendered afresh."""

from __future__ import annotations

from django.template.loader import get_template
from django.test import override_settings
from django.utils import translation

from duixian.review import views
from duixian.review.forms import NotRecommendForm, RecommendForm


def _fresh(kind, state, override=False) -> str:
    if kind == "recommend":
        return get_template("review/_recommend_fields.html").render({
            "recommend_form": RecommendForm(prefix="rec", override_required=override, initial={"expected_state": state}),
            "override_required": override})
    return get_template("review/_not_recommend_fields.html").render({
        "not_recommend_form": NotRecommendForm(prefix="nr", initial={"expected_state": state})})


def test_the_kept_fields_are_the_forms():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for _ in range(2):
                for state in ("submitted", "returned", 'x"<y>'):
                    for override in (False, True):
                        assert views._decision_body("recommend", state, override) == _fresh("recommend", state, override)
                    assert views._decision_body("not_recommend", state) == _fresh("not_recommend", state)
    assert views._decision_body("recommend", "submitted", True) != views._decision_body("recommend", "submitted")
    assert "不采纳系统预审结果的说明" in views._decision_body("recommend", "submitted", True)
    assert 'value="x&quot;&lt;y&gt;"' in views._decision_body("not_recommend", 'x"<y>')
    with translation.override("en"):
        english = views._decision_body("not_recommend", "submitted")
    assert english != views._decision_body("not_recommend", "submitted")


def test_a_setting_change_forgets_them():
    views._decision_body("not_recommend", "submitted")
    assert views._DECISIONS
    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert not views._DECISIONS
