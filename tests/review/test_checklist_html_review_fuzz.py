"""Review of issue 22: the review page's checklist rows written in Python (review.checklist_html)
are the bytes review/detail.html's own loop writes, for any mix of what a row can hold: notes
with HTML, quotes, ampersands, line breaks (a leading one too), only spaces or 3,000 characters;
every saved result including none and one the form does not offer; the system's pass, fail,
unknown or no outcome; item texts and ids with HTML and Chinese; in Chinese and in English."""

import itertools
import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from duixian.applications import policy_bridge
from duixian.review.checklist_html import checklist_body
from duixian.review.forms import ChecklistForm
from duixian.review.selectors import ChecklistRow

pytestmark = pytest.mark.django_db

DETAIL = Path(__file__).resolve().parents[2] / "duixian" / "templates" / "review" / "detail.html"


def _loop():
    """The template's own loop over the checklist's rows, as review/detail.html writes it."""
    source = DETAIL.read_text(encoding="utf-8")
    found = re.search(r"(\{% for row, result, note in checklist_form\.items %\}.*?\{% endfor %\})\{% endif %\}</tbody>",
                      source, re.S)
    assert found, "review/detail.html no longer has the checklist loop this test compares with"
    return engines["django"].from_string("{% load i18n verdicts %}" + found.group(1))


class _Outcome:
    def __init__(self, outcome):
        self.outcome = outcome


NOTES = ["", "   ", "\n", "\n开头换行", "<script>alert(\"x\")</script>'&amp;", "第一行\r\n第二行", "长" * 3000]
RESULTS = ["", "pass", "fail", "correct", "maybe"]
OUTCOMES = [(), (_Outcome("pass"),), (_Outcome("fail"), _Outcome("pass")), (_Outcome("unknown"), _Outcome("pass"))]
TEXTS = ["<b>营业执照</b> & \"原件\"", "Plain text <i>", None]  # None: the pack's own first item
IDS = ["scene", 'x"><script>', "项目"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_written_rows_are_the_loops_for_whatever_a_row_holds(language):
    pack = policy_bridge.get_pack()
    own_text = pack.checklist(2)[0].text
    loop = _loop()
    with translation.override(language):
        for note, result, outcomes, text, ident in itertools.product(NOTES, RESULTS, OUTCOMES, TEXTS, IDS):
            rows = [ChecklistRow(id=ident, text=text or own_text, rules=(), result=result, note=note, outcomes=outcomes),
                    ChecklistRow(id=f"{ident}-2", text=own_text, rules=(), result="pass", note="", outcomes=())]
            form = ChecklistForm(rows=rows, prefix="cl")
            written = checklist_body(form, pack)
            assert written is not None
            assert written == loop.render({"checklist_form": form}), (note[:20], result, text, ident)
            assert "<script>" not in written
