"""The review page's checklist and 退回补正 forms, when only shown (unbound), take copies of fields
built once per item and language (issue 22): each form keeps its own initial values, renders as a
form built afresh renders, in each language; a bound form builds its own fields."""

import pytest
from django.utils import translation

from duixian.review import forms as review_forms
from duixian.review.forms import ChecklistForm, ReturnForm
from duixian.review.selectors import ChecklistRow

ROWS = [ChecklistRow("a", "申报单位<须>在安徽省内登记注册", (), "pass", "备注 <b>", ()),
        ChecklistRow("b", "项目须在安徽省内发生", (), "", "", ()),
        ChecklistRow("c", "Plain & 'text'", (), "needs_correction", "", ())]
OTHER = [ChecklistRow("a", "申报单位<须>在安徽省内登记注册", (), "", "", ()),
         ChecklistRow("b", "项目须在安徽省内发生", (), "fail", "写明", ()),
         ChecklistRow("c", "Plain & 'text'", (), "", "另一条", ())]


def _fresh(monkeypatch):
    monkeypatch.setattr(review_forms, "_shown_fields", lambda key, build: build(*key[1:]))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_shown_forms_render_as_forms_built_afresh(language, monkeypatch):
    with translation.override(language):
        shown = [str(ChecklistForm(rows=rows, prefix="cl")) for rows in (ROWS, OTHER, ROWS)]
        returned = [str(ReturnForm(rows=rows, prefix="ret", drafts={"a": "补正 <x>"} if rows is ROWS else {},
                                   initial={"expected_state": "submitted"})) for rows in (ROWS, OTHER)]
        _fresh(monkeypatch)
        fresh = [str(ChecklistForm(rows=rows, prefix="cl")) for rows in (ROWS, OTHER, ROWS)]
        fresh_returned = [str(ReturnForm(rows=rows, prefix="ret", drafts={"a": "补正 <x>"} if rows is ROWS else {},
                                         initial={"expected_state": "submitted"})) for rows in (ROWS, OTHER)]
    assert shown == fresh and returned == fresh_returned
    assert shown[0] != shown[1] and shown[0] == shown[2]


def test_each_form_has_its_own_fields_and_labels_per_language():
    with translation.override("zh-hans"):
        one, two = ChecklistForm(rows=ROWS, prefix="cl"), ChecklistForm(rows=OTHER, prefix="cl")
        zh_label = one.fields["note_a"].label
    with translation.override("en"):
        en_label = ChecklistForm(rows=ROWS, prefix="cl").fields["note_a"].label
    assert one.fields["result_a"] is not two.fields["result_a"]
    assert (one.fields["result_a"].initial, two.fields["result_a"].initial) == ("pass", "")
    assert (one.fields["note_b"].initial, two.fields["note_b"].initial) == ("", "写明")
    assert zh_label != en_label and "申报单位<须>在安徽省内登记注册" in zh_label


def test_a_bound_form_builds_its_own_fields():
    with translation.override("zh-hans"):
        shown = ChecklistForm(rows=ROWS, prefix="cl")
        bound = ChecklistForm({"cl-result_a": "fail", "cl-note_a": "x"}, rows=ROWS, prefix="cl")
        again = ChecklistForm(rows=ROWS, prefix="cl")
    assert bound.is_valid()
    assert bound.fields["result_a"].widget is not shown.fields["result_a"].widget
    assert shown.fields["result_a"].widget is again.fields["result_a"].widget  # shared, never changed
    assert bound.results()["a"] == ("fail", "x")
