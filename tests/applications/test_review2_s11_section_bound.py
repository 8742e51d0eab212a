"""Reviewer probe: a bound section form without errors (the section page after a POST that made a
question appear) written in Python equals the template's rendering, with hostile data sent."""

import pytest
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from duixian.applications import policy_bridge, questions as q, section_html
from duixian.applications.forms import SectionForm

pytestmark = pytest.mark.django_db

H = "<script>\"'&amp;"


def _data(sec, flip):
    data = {}
    for x in sec.questions:
        name = x.field_name
        if x.kind == "bool":
            data[name] = "true" if flip else "false"
        elif x.kind in ("date", "nullable_date"):
            data[name] = "2025-12-01"
            if flip and x.kind == "nullable_date":
                data[name + "__not_done"] = "on"
        elif x.kind == "decimal":
            data[name] = "1.5"
        elif x.kind == "integer":
            data[name] = "3"
        elif x.kind == "choice":
            data[name] = str(x.choices[-1 if flip else 0][0]) if x.choices else ""
        elif x.kind == "multi":
            data[name] = [str(c[0]) for c in x.choices[:2]] if flip else []
        elif x.kind == "region":
            data[name] = "340100"
        elif x.kind == "phone":
            data[name] = "13155113928"
        else:
            data[name] = f"答{H}"
    return data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bound_forms_without_errors_written_as_the_template(language):
    pack = policy_bridge.get_pack()
    seen = 0
    with translation.override(language):
        for choice in policy_bridge.clause_choices(pack):
            for sec in q.sections_for(choice.clause, choice.application_type, pack):
                for flip in (False, True):
                    for answers in ({}, {x.name: "x" for x in sec.questions if x.kind == "text"}):
                        data = _data(sec, flip)
                        form = SectionForm(data, section=sec, answers=answers)
                        for _ in range(5):
                            if not form.errors:
                                break
                            for name in list(form.errors):
                                data.pop(name, None)
                            form = SectionForm(data, section=sec, answers=answers)
                        if form.errors:
                            continue
                        seen += 1
                        engine = get_template(section_html.TEMPLATE).render({"form": form})
                        written = section_html.section_form_html(form, Context({"form": form}))
                        assert written == engine, (choice.clause, sec.key, flip)
    assert seen > 10


def test_the_python_writer_is_in_use():
    assert section_html._stock(get_template(section_html.TEMPLATE).template)


def test_a_forms_changed_fields_do_not_reach_the_next_form():
    pack = policy_bridge.get_pack()
    choice = policy_bridge.clause_choices(pack)[0]
    sections = q.sections_for(choice.clause, choice.application_type, pack)
    with translation.override("zh-hans"):
        for sec in sections:
            before = get_template(section_html.TEMPLATE).render({"form": SectionForm(section=sec, answers={})})
            form = SectionForm(section=sec, answers={})
            for field in form.fields.values():
                field.widget.attrs["data-leak"] = "1"
                field.label, field.help_text, field.required = "LEAK", "LEAK", True
                field.error_messages["required"] = "LEAK"
                if hasattr(field, "choices"):
                    field.choices = [*field.choices, ("leak", "LEAK")]
            after = SectionForm(section=sec, answers={})
            assert get_template(section_html.TEMPLATE).render({"form": after}) == before
            assert "LEAK" not in str(SectionForm({}, section=sec, answers={}).errors)
