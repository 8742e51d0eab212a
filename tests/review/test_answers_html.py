"""review.answers_html writes applications/_answers.html's rows as its loop writes them, byte for
byte, Chinese and English (issue 22): labels and values with markup, quotes and ampersands, Han
and no Han, safe strings, lazy labels, numbers, dates, None and empty values; and the review page
uses it (tests/review/test_review_page_pinned.py pins the whole page)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from duixian.review.answers_html import answers_body

lazy_text = lazy(lambda text: text, str)

ROWS = [
    ("项目名称", "影像<script>\"'&大模型应用"),
    ("Project", "AI <b>x</b> & 'y' \"z\""),
    ("<i>label</i> & \"q\"", "plain ascii"),
    (mark_safe("<em>安全</em>标签"), mark_safe("<strong>安全</strong>值")),
    (lazy_text("懒标签 <x>"), "值"),
    ("金额（万元）", Decimal("1234567.50")),
    ("数量", 12),
    ("比例", 0.25),
    ("日期", dt.date(2026, 4, 20)),
    ("空", ""),
    ("无", None),
    ("是否", True),
    (42, "数字标签"),
    ("列表", ["甲", "<乙>"]),
    ("换行", "第一行\n第二行 &amp;"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rows", [ROWS, [], ROWS[:1]], ids=["many", "none", "one"])
def test_the_rows_are_the_templates(language, rows):
    template = get_template("applications/_answers.html")
    with translation.override(language):
        loop = template.render({"answers": rows})
        written = template.render({"answers": rows, "answers_body": answers_body(rows)})
    assert written == loop


@pytest.mark.django_db
def test_the_review_page_writes_its_answers_in_python(client, users, submitted, time_machine, monkeypatch):
    from duixian.review import views

    from .conftest import at, signin

    called = []
    real = views.answers_body
    monkeypatch.setattr(views, "answers_body", lambda rows: called.append(rows) or real(rows))
    time_machine.move_to(at("2026-04-28 10:00:00"), tick=False)
    signin(client, users["hefei_clerk"])
    page = client.get(f"/review/{submitted.pk}/").content.decode()
    assert called and called[0] and '<tr><th scope="row">' in page
