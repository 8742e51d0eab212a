"""A section form written in Python (duixian.applications.section_html) gives the bytes
applications/_section_form.html gives, for every section of every clause in the pack, in Chinese
and English, unanswered, answered (hostile text, hidden and shown questions, 尚未完成 ticked) and
bound; a form with errors and a changed template render through the engine."""

import pytest
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from duixian.applications import policy_bridge, questions as q, section_html
from duixian.applications.forms import SectionForm

pytestmark = pytest.mark.django_db

HOSTILE = "<script>\"'&amp;"


def _value(question: q.Question, flip: bool):
    kind = question.kind
    if kind == "bool":
        return not flip
    if kind in ("date",):
        return "2025-12-01"
    if kind == "nullable_date":
        return None if not flip else "2025-10-01"
    if kind == "decimal":
        return "1.50"
    if kind == "integer":
        return 3
    if kind in ("choice",):
        return question.choices[-1 if flip else 0][0] if question.choices else ""
    if kind == "multi":
        return [question.choices[0][0]] if question.choices and not flip else []
    if kind == "region":
        return "340100"
    return f"答{HOSTILE}{question.name}"


def _forms(sec):
    for flip in (False, True):
        answers = {x.name: _value(x, flip) for x in sec.questions}
        yield SectionForm(section=sec, answers=answers)
    yield SectionForm(section=sec, answers={})
    yield SectionForm({}, section=sec, answers={})


def _both(form):
    engine = get_template(section_html.TEMPLATE).render({"form": form})
    written = section_html.section_form_html(form, Context({"form": form}))
    return engine, written


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_section_written_as_the_template_writes_it(language, monkeypatch):
    pack = policy_bridge.get_pack()
    seen = 0
    with translation.override(language):
        for choice in policy_bridge.clause_choices(pack):
            for sec in q.sections_for(choice.clause, choice.application_type, pack):
                for form in _forms(sec):
                    assert not form.errors
                    engine, written = _both(form)
                    assert written == engine, (choice.clause, sec.key)
                    seen += 1
    assert seen > 40
    # and the written path is the one taken: the template is not rendered for a form without errors
    template = get_template(section_html.TEMPLATE).template
    monkeypatch.setattr(type(template), "render", lambda *a, **k: pytest.fail("rendered through the engine"))
    section_html.section_form_html(form, Context({"form": form}))


def test_a_form_with_errors_and_a_changed_template_render_through_the_engine(monkeypatch):
    pack = policy_bridge.get_pack()
    sec = q.section_by_key("2", "", "project", pack)
    form = SectionForm({"project__occurred_on": "2025-13-45", "amount_requested_wan": "-1"}, section=sec, answers={})
    assert form.errors
    engine, written = _both(form)
    assert written == engine and "error-summary" in written and "请按“年-月-日”填写日期" in written

    clean = SectionForm(section=sec, answers={})
    template = get_template(section_html.TEMPLATE).template
    monkeypatch.setattr(template, "source", template.source.replace("question-input", "question-box"))
    monkeypatch.setattr(section_html, "_checked", {})
    rendered = []
    original = type(template).render
    monkeypatch.setattr(type(template), "render", lambda self, context: rendered.append(1) or original(self, context))
    section_html.section_form_html(clean, Context({"form": clean}))
    assert rendered


def test_the_template_is_the_text_the_writer_was_written_from():
    """Fails when applications/_section_form.html changes and section_html.py is not brought up to
    date with it (its KNOWN_SHA256): until then every section page renders through the engine."""
    assert section_html._stock(get_template(section_html.TEMPLATE).template)
