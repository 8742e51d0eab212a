"""确认信息's two tables keep what a pack writes the same for every application (headings, labels,
links around the application's number, a slot's words) per language and URL prefix
(duixian/applications/check_tables.py, issue 22). What changes shows at once: another answer,
another file, another language, another application; and it is what a fresh page writes."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from duixian.applications import policy_bridge, questions as q
from duixian.applications.check_tables import answer_tables, answer_text, material_table
from duixian.applications.materials import material_store
from duixian.applications.selectors import answers_of, material_states
from duixian.applications.services import application_create, application_save_answers
from duixian.applications.views import _display
from duixian.core import memos
from tests.applications.conftest import PDF, signin, upload

HOSTILE = "<script>\"'&amp;"


def _tables(app) -> tuple[str, str]:
    answers = answers_of(app)
    sections = [(sec, [(x, answer_text(x, answers, _display)) for x in sec.visible_questions(answers)])
                for sec in q.sections_for(app.clause, app.application_type, policy_bridge.application_pack(app))]
    return answer_tables(app, sections), material_table(app, material_states(app))


def _within(tables: tuple[str, str], page: str) -> bool:
    return all(table in page for table in tables)


def _fresh(app) -> tuple[str, str]:
    memos.forget_all()
    return _tables(app)


def _page(client, app, language="zh-hans") -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("applications:check", kwargs={"pk": app.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_tables_follow_answers_files_languages_and_applications(users, client, complete_draft):
    app, user = complete_draft, users["hefei_applicant"]
    signin(client, user)
    page = _page(client, app)
    with translation.override("zh-hans"):
        kept, fresh = _tables(app), _fresh(app)
    assert kept == fresh and _within(kept, page) and "张晓明" in kept[0]

    with translation.override("zh-hans"):
        assert "2025年12月1日" in kept[0] and "已完成建设并投入使用" in kept[0]
    # a text, a yes/no, a date, a choice and an amount changed: each shows at once
    app = application_save_answers(app, {"contact_name": f"李四{HOSTILE}", "org.owns_ip": False,
                                         "project.occurred_on": "2025-11-30", "scene.status": "building",
                                         "amount_requested_wan": "23.5"}, user=user)
    slot = policy_bridge.material_slots(app.clause, app.application_type)[0]
    material_store(app, slot.id, upload(f"换{HOSTILE}.pdf", PDF), user=user)
    page = _page(client, app)
    assert "张晓明" not in page and "李四&lt;script&gt;&quot;&#x27;&amp;amp;" in page
    assert "2025年11月30日" in page and "2025年12月1日" not in page and "23.5" in page
    status_row = page.split("scene__status")[0].rsplit("<tr>", 1)[1]
    assert "建设中" in status_row and "已完成建设并投入使用" not in status_row
    assert "换&lt;script&gt;&quot;&#x27;&amp;amp;.pdf" in page and HOSTILE not in page
    with translation.override("zh-hans"):
        assert _within(_tables(app), page)

    english = _page(client, app, "en")
    with translation.override("en"):
        kept = _tables(app)
        assert _within(kept, english) and kept == _fresh(app)
    with translation.override("zh-hans"):
        assert kept[0] != _tables(app)[0] and kept[1] != _tables(app)[1]

    other = application_create(user=user, clause="2", project_name="另一个草稿")  # its own links, its own rows
    page = _page(client, other)
    with translation.override("zh-hans"):
        assert _within(_tables(other), page) and _tables(other) == _fresh(other)
    assert f'href="/applications/{other.pk}/section/' in page and f'/applications/{app.pk}/' not in page
    assert "李四" not in page and "换&lt;script" not in page


def test_the_kept_submit_fields_are_the_forms_own(users, client, complete_draft):
    from django.template import engines

    from duixian.applications.check_tables import submit_fields
    from duixian.applications.forms import SubmitForm

    own = engines["django"].from_string(
        "{{ form.token }}{{ form.expected_state }}|{{ form.declaration }} {{ form.declaration.label }}")
    for language in ("zh-hans", "en", "zh-hans"):
        for token, state in ((f"tok{HOSTILE}", "draft"), ("abc-_XYZ", "returned"), ("t2", "draft")):
            form = SubmitForm(initial={"token": token, "expected_state": state})
            with translation.override(language):
                kept = submit_fields(form)
                assert f"{kept['hidden']}|{kept['declaration']}" == own.render({"form": form})
    assert submit_fields(SubmitForm({"declaration": "on", "token": "t", "expected_state": "draft"})) is None

    signin(client, users["hefei_applicant"])
    for language in ("zh-hans", "en"):
        page = _page(client, complete_draft, language)
        assert 'name="expected_state" value="draft" id="id_expected_state">' in page
        assert page.count('<input type="checkbox" name="declaration" required id="id_declaration">') == 1
    sent = client.post(reverse("applications:check", kwargs={"pk": complete_draft.pk}),
                       {"token": "tok-x", "expected_state": "draft"}).content.decode()  # no box ticked: the form's own
    assert 'aria-invalid="true"' in sent and 'id="id_declaration_error"' in sent


def test_an_answer_kept_for_one_caller_is_not_another_callers_words(db):
    pack = policy_bridge.get_pack()
    question = next(x for sec in q.sections_for("2", "", pack) for x in sec.questions if x.kind == "bool")
    answers = {question.name: True}
    with translation.override("zh-hans"):
        shown = answer_text(question, answers, _display)
        assert answer_text(question, answers, lambda _q, _a: "另一种说法") == "另一种说法"
        assert answer_text(question, answers, _display) == shown
