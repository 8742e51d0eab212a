"""A section's fields are built once per section and language (forms._section_fields) and copied
per form: another language, another pack's section and other answers show at once, and no two
forms share a field."""

import dataclasses

import pytest
from django.utils import translation

from duixian.applications import policy_bridge, questions as q
from duixian.applications.forms import SectionForm, _field_for

pytestmark = pytest.mark.django_db


def _section(key="project"):
    return q.section_by_key("2", "", key, policy_bridge.get_pack())


def test_each_form_has_its_own_fields():
    sec = _section()
    one, two = SectionForm(section=sec, answers={}), SectionForm(section=sec, answers={})
    for name in one.fields:
        assert one.fields[name] is not two.fields[name]
        assert one.fields[name].widget is not two.fields[name].widget
    one.fields["project_name"].widget.attrs["data-x"] = "1"
    one.fields["project_name"].label = "改"
    three = SectionForm(section=sec, answers={})
    assert "data-x" not in three.fields["project_name"].widget.attrs and three.fields["project_name"].label != "改"


def test_the_language_of_the_request_is_the_labels_language():
    sec = _section("org")
    labels = {}
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            form = SectionForm(section=sec, answers={})
            fresh = {x.field_name: str(_field_for(x, {}, "").label) for x in sec.questions}
            assert {name: str(field.label) for name, field in form.fields.items()} == fresh
            labels[language] = fresh
    assert labels["zh-hans"] != labels["en"]  # the test tells the languages apart


def test_another_packs_section_shows_its_own_words_at_once():
    sec = _section()
    SectionForm(section=sec, answers={})
    first = sec.questions[0]
    changed = dataclasses.replace(sec, questions=(dataclasses.replace(first, label="新的问题", help="新的说明"),
                                                  *sec.questions[1:]))
    form = SectionForm(section=changed, answers={})
    assert form.fields[first.field_name].label == "新的问题" and str(form.fields[first.field_name].help_text) == "新的说明"
    assert SectionForm(section=sec, answers={}).fields[first.field_name].label != "新的问题"


def test_the_answers_show_at_once():
    sec = _section()
    assert SectionForm(section=sec, answers={"project.in_anhui": True}).initial["project__in_anhui"] == "true"
    assert SectionForm(section=sec, answers={"project.in_anhui": False}).initial["project__in_anhui"] == "false"
    bound = SectionForm({"project__in_anhui": "maybe"}, section=sec, answers={})
    assert "project__in_anhui" in bound.errors  # still validated, with the field's own choices
