"""政策自测 (public): pick a clause, answer only what can change the verdict, see every rule.

Views stay thin: the engine decides (engine.evaluate), the engine says which facts still matter
(engine.questions), and the pack gives the quoted text each citation links to.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from duixian.authz import requires
from duixian.core.errors import add_to_form

from .engine import ClauseError, ClauseNotOpen, FactsError, evaluate, questions
from .forms import SelfCheckForm, field_id
from .batch_choice import batch_context, batch_from_request


def _now():
    from duixian.core import clock

    return clock.now()


@login_not_required
@requires("anyone")
def choose(request):
    """Which clause, in which batch (`?batch=`, the default batch without it)? Clauses that take
    no application say why, instead of a form."""
    chosen = batch_context(request)
    return render(request, "policy/choose.html", {**chosen, "pack": chosen["batch"]})


def _not_open(c) -> str:
    """Why a clause has no self-check, in the page's language (the engine's ClauseNotOpen says the
    same in Chinese for the command line and the API; the notice's own words stay as written)."""
    if c.kind == "automatic":
        said = _("第%(n)s条（%(title)s）“免申即享”，无需申报，也不做政策自测。") % {"n": c.number, "title": c.short_title}
        return f"{said}{c.note or ''}".strip()
    return _("第%(n)s条（%(title)s）%(text)s，不在本批次受理申报，也不做政策自测。") % {
        "n": c.number, "title": c.short_title, "text": c.text.rstrip("。")}


@login_not_required
@requires("anyone")
def check(request, clause: int):
    chosen = batch_context(request)
    pack = chosen["batch"]
    try:
        c = pack.clause(clause)
    except KeyError:
        raise Http404(_("本批次没有这一条")) from None
    if not c.takes_applications:
        try:
            evaluate(pack, clause, {})
        except ClauseNotOpen:
            return render(request, "policy/not_open.html", {"pack": pack, "clause": c, "message": _not_open(c)})

    bound = "answered" in request.GET
    # First pass: what the current answers say, to know which questions still matter.
    probe = SelfCheckForm(pack.facts, _all_questions(pack, clause), request.GET if bound else None)
    answers = probe.facts(pack.tz) if bound and probe.is_valid() else {}
    try:
        names = questions(pack, clause, answers)
    except (FactsError, ClauseError):
        names = _all_questions(pack, clause)
    form = SelfCheckForm(pack.facts, names, request.GET if bound else None)
    verdict = error = None
    assumed_now = None
    if bound and form.is_valid():
        facts = form.facts(pack.tz)
        if "submitted_at" in names and "submitted_at" not in facts:
            assumed_now = _now().astimezone(pack.tz)
            facts["submitted_at"] = assumed_now.isoformat()
        try:
            verdict = evaluate(pack, clause, facts)
        except FactsError as e:
            error = e
            add_to_form(form, e, field=field_id(e.field), message=e.for_people())
    return render(request, "policy/check.html", {
        **chosen, "pack": pack,
        "clause": c,
        "form": form,
        "verdict": verdict,
        "error": error,
        "assumed_now": assumed_now,
        "amount_param_unconfirmed": bool(pack.amounts.get(c.number) and not pack.amounts[c.number].confirmed),
        "materials": pack.materials(c.number, answers.get("park", {}).get("application_type") if c.number == 5 else None),
    })


def _all_questions(pack, clause) -> list[str]:
    """Every question of the clause, whichever of its application types is chosen (the pack's
    `application_types` and `application_type_fact`; a clause without types asks one set)."""
    c = pack.clause(clause)
    variants = [{}]
    if c.type_fact and c.application_types:
        namespace, _dot, name = c.type_fact.partition(".")
        variants = [{namespace: {name: kind}} for kind in c.application_types]
    names: list[str] = []
    for facts in variants:
        names += [n for n in questions(pack, clause, facts) if n not in names]
    return names


@login_not_required
@requires("anyone")
def notice(request):
    """The notice sentence by sentence, each with an anchor, its rules and its place (`?batch=`)."""
    pack = batch_from_request(request)
    rules_by_sentence: dict[str, list] = {}
    for r in pack.rules:
        rules_by_sentence.setdefault(r.sentence, []).append(r)
    sentences = [{"s": s, "rules": rules_by_sentence.get(s.id, [])} for s in pack.sentences]
    return render(request, "policy/notice.html", {"pack": pack, "sentences": sentences})
