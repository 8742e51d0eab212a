"""The form renderer writes a select and its options directly (issue 22: the clerk's work list
filters by two selects of 16 options, each option an include of the project's select_option.html):
the bytes must be the templates', labels quoted lang="zh-Hans" on English pages as the template's
`zh_lang` does, and anything the writer does not know renders through the templates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from duixian.core import forms_renderer
from duixian.core.forms_renderer import Renderer
from duixian.review.forms import FilterForm

CHOICES = [("", gettext_lazy("全部条款")), ("2", "第二条 促进垂类模型应用"), ("hostile", '<script>"x"</script>\'&amp;'),
           (3, mark_safe("<b>安全</b>")), ("en", "English only"), (None, "none value")]
GROUPS = [("合肥 <b>&", [("a", "甲"), ("b", "B")]), ("Plain", [("c", 'C "q"')]), ("d", "不在组里")]
ATTRS = {"class": "wide", "required": True, "disabled": False, "title": 'a "quoted" <b>&</b>', "data-n": 0}

SELECTS = [
    (forms.Select(choices=CHOICES), "2"),
    (forms.Select(choices=CHOICES, attrs=ATTRS), "hostile"),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=GROUPS), "b"),
    (forms.Select(choices=[]), ""),
    (forms.SelectMultiple(choices=CHOICES), ["2", "en"]),
    (forms.NullBooleanSelect(), True),
    (forms.Select(choices=CHOICES, attrs={"lang": "en"}), "2"),
    # labels the template would localize: rendered through the templates
    (forms.Select(choices=[(1, 1234567), (2, Decimal("1.50")), (3, datetime.date(2026, 5, 5))]), 2),
    (forms.Select(choices=[((1, 2), "组"), ("x", "X")]), "x"),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("widget", "value"), SELECTS, ids=[f"{type(w).__name__}-{i}" for i, (w, _v) in enumerate(SELECTS)])
def test_a_select_written_directly_is_the_html_its_templates_give(widget, value, language):
    with override(language):
        templated = widget.render("field", value, attrs={"id": "id_field"}, renderer=TemplatesSetting())
        direct = widget.render("field", value, attrs={"id": "id_field"}, renderer=Renderer())
    assert direct == templated


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_work_lists_filters_are_written_directly(language, monkeypatch):
    with override(language):
        form = FilterForm({"clause": "2", "state": "returned", "q": '"><x>'}, counts={"submitted": 3, "returned": 1})
        form.renderer = TemplatesSetting()
        templated = [str(form[name]) for name in ("clause", "state")]
        calls = []
        render = TemplatesSetting.render
        monkeypatch.setattr(TemplatesSetting, "render",
                            lambda self, name, context, request=None: calls.append(name) or render(self, name, context, request))
        form.renderer = Renderer()
        direct = [str(form[name]) for name in ("clause", "state")]
    assert direct == templated and calls == []
    assert '<option value="returned" selected>' in direct[1]
    assert ("lang" in direct[1]) is False  # the states' labels are the page's language
    # the clauses, the notice's words, quoted once on English pages (not twice: a duplicate
    # attribute is an HTML parse error), and not marked on Chinese pages, as the page's other options
    clause = '<option value="2" selected lang="zh-Hans">' if language == "en" else '<option value="2" selected>'
    assert clause in direct[0] and direct[0].count("lang=") == (3 if language == "en" else 0)


def test_a_changed_option_template_renders_as_a_template(monkeypatch):
    renderer = Renderer()
    assert renderer._is_stock("django/forms/widgets/select.html")
    monkeypatch.setitem(forms_renderer._STOCK, "django/forms/widgets/select_option.html", "something else")
    assert not Renderer()._is_stock("django/forms/widgets/select.html")


def test_an_option_of_another_template_renders_as_a_template():
    class Other(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"  # any template not written here

    with override("en"):
        templated = Other(choices=CHOICES).render("field", "2", renderer=TemplatesSetting())
        assert Other(choices=CHOICES).render("field", "2", renderer=Renderer()) == templated
