"""The reading help's search: every passage a question may be answered from, then the best ones.

Passages are the notice's sentences (the pack's `sentences`, with their citation), the
province's 常见问题 and each clause's current 解读, paragraph by paragraph. When none matches,
the page shows who to ask instead: the platform helpdesk and the city's phone from 附件1.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from duixian.guidance import selectors
from duixian.guidance.matching import Match, Passage, best_matches

KIND_LABELS = {"notice": gettext_lazy("通知原文"), "faq": gettext_lazy("常见问题"), "interpretation": gettext_lazy("政策解读")}


def passages(pack) -> list[Passage]:
    """Every passage of the batch's notice, FAQ and interpretations, each linking to its place
    in that batch's pages (`?batch=`)."""
    query = "?" + urlencode({"batch": pack.batch_id})
    notice = reverse("policy:notice") + query
    # A heading (a short sentence no rule implements, like 申报条件：) answers nothing: left out.
    found = [Passage("notice", s.text, selectors.citation_text(s), f"{notice}#s-{s.id}")
             for s in pack.sentences if s.no_rule is None or len(s.text) > 12]
    for entry in selectors.faq_entries():
        found.append(Passage("faq", f"{entry.title} {entry.body}", _("常见问题：%(title)s") % {"title": entry.title},
                             reverse("guidance:index") + query + f"#faq-{entry.pk}"))
    clauses = {c.number: c for c in pack.clauses}
    for number, item in selectors.current_interpretations(pack).items():
        clause = clauses.get(int(number))
        if clause is None:
            continue
        link = reverse("guidance:clause", kwargs={"clause": clause.number}) + query
        for index, paragraph in enumerate(item.paragraphs, 1):
            found.append(Passage("interpretation", paragraph,
                                 _("%(clause)s解读 第%(i)s段") % {"clause": pack.clause_name(clause.number), "i": index},
                                 f"{link}#p-{index}"))
    return found


def search(pack, question: str) -> list[Match]:
    return best_matches(question, passages(pack))
