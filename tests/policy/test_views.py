"""The public 政策自测 pages, as an organisation would use them (no login)."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.policy.urls")]


def test_choose_lists_every_clause(client):
    page = client.get(reverse("policy:choose")).content.decode()
    for label in ("2.促进垂类模型应用", "3.降低算力使用成本", "4.举办创新应用活动"):
        assert label in page
    assert "免申即享" in page


def test_clause_3_says_no_application_needed(client):
    page = client.get(reverse("policy:check", args=[3])).content.decode()
    assert "免申即享" in page and "<form" not in page.split("<main")[1].split("</main>")[0]


def test_clause_2_answers_show_rule_by_rule_with_links(client):
    url = reverse("policy:check", args=[2])
    r = client.get(url, {
        "answered": "1", "scene__own_supply_capability": "true", "scene__status": "in_use",
        "scene__development_investment_wan": "120", "submitted_at": "2026-04-28T09:30",
    })
    page = r.content.decode()
    assert r.status_code == 200
    assert "不符合条件" in page and "24.00" in page
    assert "二、（二）2" in page and reverse("policy:notice") + "#s-2.2.2" in page
    assert '<li class="outcome-unknown"><strong>待判断</strong>' in page  # questions left unanswered


def test_clause_5_asks_only_the_questions_of_its_type(client):
    url = reverse("policy:check", args=[5])
    creation = client.get(url, {"answered": "1", "park__application_type": "creation"}).content.decode()
    evaluation = client.get(url, {"answered": "1", "park__application_type": "evaluation"}).content.decode()
    assert "park__scene_capacity" in creation and "park__scene_capacity" not in evaluation
    assert "park__approved_year" in evaluation and "park__approved_year" not in creation


def test_bad_answer_is_shown_beside_its_field(client):
    url = reverse("policy:check", args=[2])
    page = client.get(url, {"answered": "1", "org__uscc": "91340100MA2RXH7Q96"}).content.decode()
    assert "error-summary" in page and "#id_org__uscc" in page and "校验" in page


def test_notice_page_has_an_anchor_per_sentence(client):
    page = client.get(reverse("policy:notice")).content.decode()
    assert 'id="s-2.2.2"' in page and "产业布局 and 空间布局" in page


def test_a_refused_value_is_worded_by_its_label_beside_its_field(client):
    import re

    url = reverse("policy:check", args=[4])
    page = client.get(url, {"answered": "1", "award__date": "2999-01-01"}).content.decode()
    assert "#id_award__date" in page and "超出范围" in page
    assert not re.search(r"\baward\.date\b", re.sub(r"<[^>]+>", " ", page))
