"""Reads of the reading help: a clause's quoted notice sentences, its current 解读, the FAQ."""

from __future__ import annotations

from duixian.guidance.models import Interpretation


def citation_text(sentence) -> str:
    """Where a sentence is from, in the notice's own numbering: 《通知》二、（一）."""
    document = sentence.document or "《通知》"  # quoted with the notice's numbering, as written
    return f"{document}{sentence.ref}"


def clause_sentences(pack, clause: int) -> list:
    """The sentences of the notice (and the policy text it redeems) under a clause's section."""
    return [s for s in pack.sentences if s.citation is not None and s.citation.section == int(clause)]


def current_interpretation(pack, clause) -> Interpretation | None:
    return Interpretation.objects.of_clause(pack.batch_id, str(clause)).order_by("-edited_at", "-pk").first()


def interpretation_history(pack, clause):
    return Interpretation.objects.of_clause(pack.batch_id, str(clause)).select_related("edited_by").order_by(
        "-edited_at", "-pk")


def current_interpretations(pack) -> dict[str, Interpretation]:
    """Each clause's latest revision, by clause number."""
    latest: dict[str, Interpretation] = {}
    for item in Interpretation.objects.filter(batch_id=pack.batch_id).order_by("clause", "-edited_at", "-pk"):
        latest.setdefault(item.clause, item)
    return latest


def faq_entries():
    """The province's 常见问题 (core announcements of kind FAQ that are published)."""
    from duixian.core.models import Announcement, AnnouncementKind

    return Announcement.objects.filter(kind=AnnouncementKind.FAQ, published=True)
