"""The reading help (政策解读与问答): each clause's 解读 beside the quoted notice, and a search
that quotes the passages answering a question, or says whom to call. Per batch: `?batch=` names
the notice (policy.batch_choice), the default batch without it; links carry it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duixian.core.errors import add_to_form
from duixian.guidance import search as searching
from duixian.guidance import selectors
from duixian.guidance.forms import InterpretationForm, QuestionForm
from duixian.authz import check, requires
from duixian.guidance.services import InterpretationRefused, interpretation_save
from duixian.policy.batch_choice import batch_context


def _clause(pack, number: int):
    for clause in pack.clauses:
        if clause.number == int(number):
            return clause
    raise Http404(_("本批次没有该政策条款。"))


def _own_city(user, pack):
    """The city whose phone to show: the user's organisation's or the clerk's, else none (all)."""
    code = ""
    if getattr(user, "is_authenticated", False):
        organisation = getattr(user, "organisation", None)
        code = (organisation.city_code if organisation else "") or getattr(user, "city_code", "") or ""
    return pack.contacts.city(code) if code else None


@login_not_required
@requires("anyone")
def index(request):
    chosen = batch_context(request)
    pack = chosen["batch"]
    latest = selectors.current_interpretations(pack)
    clauses = [(c, latest.get(str(c.number))) for c in pack.clauses]
    return render(request, "guidance/index.html", {
        **chosen, "pack": pack, "clauses": clauses, "form": QuestionForm(), "faqs": selectors.faq_entries()})


@login_not_required
@requires("anyone")
def clause(request, clause: int):
    chosen = batch_context(request)
    pack = chosen["batch"]
    found = _clause(pack, clause)
    return render(request, "guidance/clause.html", {
        **chosen, "pack": pack, "clause": found, "sentences": selectors.clause_sentences(pack, found.number),
        "interpretation": selectors.current_interpretation(pack, found.number),
        "can_edit": check(request.user, "guidance.edit").allowed, "form": QuestionForm()})


@login_not_required
@requires("anyone")
def search(request):
    chosen = batch_context(request)
    pack = chosen["batch"]
    form = QuestionForm(request.GET if "q" in request.GET else None)
    matches = searching.search(pack, form.cleaned_data["q"]) if form.is_bound and form.is_valid() else None
    return render(request, "guidance/search.html", {
        **chosen, "pack": pack, "form": form, "matches": matches, "kind_labels": searching.KIND_LABELS,
        "city": _own_city(request.user, pack)})


@requires("guidance.edit")
def edit(request, clause: int):
    chosen = batch_context(request)
    pack = chosen["batch"]
    found = _clause(pack, clause)
    current = selectors.current_interpretation(pack, found.number)
    form = InterpretationForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            interpretation_save(pack, found.number, body=form.cleaned_data["body"], note=form.cleaned_data["note"],
                                user=request.user, request=request)
        except InterpretationRefused as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("政策解读已保存为新版本。"))
            return redirect(reverse("guidance:clause", args=[found.number]) + chosen["batch_query"])
    return render(request, "guidance/edit.html", {
        **chosen, "pack": pack, "clause": found, "form": form, "sentences": selectors.clause_sentences(pack, found.number),
        "history": selectors.interpretation_history(pack, found.number)})
