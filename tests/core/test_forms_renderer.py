"""The form renderer writes Django's plain inputs and textarea directly (issue 22: a third of the
clerk's review page went to rendering them through the template engine): the HTML must be the
bytes the templates give, and any template the project overrides still renders as a template."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.boundfield import BoundWidget
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from duixian.core import forms_renderer
from duixian.core.forms_renderer import Renderer

ATTRS = {"class": "wide", "required": True, "disabled": False, "maxlength": 20, "data-zero": 0,
         "placeholder": gettext_lazy("请输入"), "title": 'a "quoted" <b>&</b>', "data-safe": mark_safe("<i>ok</i>"),
         "data-none": None, "aria-describedby": "id_x_helptext"}

WIDGETS = [
    (forms.TextInput(attrs=ATTRS), 'O\'Reilly & <script>"x"</script>'),
    (forms.TextInput(), ""),
    (forms.TextInput(), None),
    (forms.TextInput(), mark_safe("<b>safe</b>")),
    (forms.NumberInput(attrs={"step": "0.01", "min": 0}), Decimal("12.50")),
    (forms.NumberInput(), 0),
    (forms.EmailInput(attrs={"autocomplete": "email"}), "a@b.cn"),
    (forms.URLInput(), "https://example.cn/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "secret<"),
    (forms.HiddenInput(), "draft"),
    (forms.HiddenInput(), ("a", "b")),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 5, 5)),
    (forms.DateTimeInput(), datetime.datetime(2026, 5, 5, 23, 59)),
    (forms.TimeInput(), datetime.time(23, 59)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"id": "id_declaration"}), False),
    (forms.CheckboxInput(), "on"),
    (forms.Textarea(attrs={"rows": 3, "cols": None, "readonly": True}), '第一行\n<第二行> & "三"'),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Textarea(), "0"),
    (forms.Textarea(), mark_safe("<p>safe</p>")),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=[f"{type(w).__name__}-{i}" for i, (w, _v) in enumerate(WIDGETS)])
def test_a_widget_written_directly_is_the_html_its_template_gives(widget, value, language):
    with override(language):
        templated = widget.render("field", value, attrs={"id": "id_field"}, renderer=TemplatesSetting())
        direct = widget.render("field", value, attrs={"id": "id_field"}, renderer=Renderer())
    assert direct == templated


def test_every_template_the_renderer_writes_directly_is_djangos_own():
    renderer = Renderer()
    assert {name for name in forms_renderer._FAST if renderer._is_stock(name)} == set(forms_renderer._FAST)


def test_a_template_the_project_changes_is_rendered_as_a_template(monkeypatch):
    renderer = Renderer()
    monkeypatch.setitem(forms_renderer._STOCK, "django/forms/widgets/attrs.html", "something else")
    assert not renderer._is_stock("django/forms/widgets/text.html")
    assert not renderer._is_stock("django/forms/widgets/textarea.html")
    calls = []
    monkeypatch.setattr(TemplatesSetting, "render", lambda self, name, context, request=None: calls.append(name) or "")
    forms.TextInput().render("field", "x", renderer=renderer)
    assert calls == ["django/forms/widgets/text.html"]


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "duixian.core.forms_renderer.Renderer"


CHOICES = [("pass", "符合"), ("fail", gettext_lazy("不符合")), ("na", 'N/A <"x">'), (3, mark_safe("<b>安全</b>"))]
CHOICE_WIDGETS = [
    forms.RadioSelect(choices=CHOICES),
    forms.RadioSelect(choices=CHOICES, attrs={"class": "inline", "required": True}),
    forms.CheckboxSelectMultiple(choices=CHOICES),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("wrap_label", [False, True])
@pytest.mark.parametrize("attrs", [{"id": "id_item"}, {}], ids=["id", "no-id"])
@pytest.mark.parametrize("widget", CHOICE_WIDGETS, ids=["radio", "radio-attrs", "checkboxes"])
def test_a_choice_written_directly_is_the_html_its_template_gives(widget, attrs, wrap_label, language):
    """`{{ radio.tag }}` (the review page's checklist) and a choice with its label, quoted
    lang="zh-Hans" on English pages as the project's input_option.html writes it."""
    value = ["fail", "3"] if isinstance(widget, forms.CheckboxSelectMultiple) else "fail"

    def tags(renderer):
        return [BoundWidget(widget, data, renderer).tag(wrap_label=wrap_label)
                for data in widget.subwidgets("item", value, attrs)]

    with override(language):
        templated, direct = tags(TemplatesSetting()), tags(Renderer())
    assert direct == templated
    assert len(direct) == len(CHOICES) and all("<input" in html for html in direct)


def test_the_choices_are_written_directly_while_input_option_is_the_projects():
    renderer = Renderer()
    assert renderer._is_stock("django/forms/widgets/radio_option.html")
    assert renderer._is_stock("django/forms/widgets/checkbox_option.html")
