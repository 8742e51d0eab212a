"""City review pages: the clerk's work list, one application's review, the three decisions.

Thin views: they ask review.permissions (a refusal to see is a 404), read through
review.selectors, write through review.services, and render.
"""

from __future__ import annotations


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from duixian.authz import requires
from duixian.authz.roles import Role
from duixian.applications import policy_bridge
from duixian.applications.answer_rows import answer_rows
from duixian.applications.preview import PREVIEWABLE, preview_response
from duixian.applications.history_html import history_rows
from duixian.applications.selectors import application_of
from duixian.applications.models import Application, ApplicationState as S, Material
from duixian.applications.workflow import TransitionConflict, TransitionError, can_fire, needs_override_reason
from duixian.audit.services import audit_record
from duixian.core import clock, listing, memos
from duixian.core.converters import record_ids
from duixian.core.errors import add_to_form
from duixian.policy.batch_choice import batch_context, batch_from_request, batch_query
from duixian.policy.verdict import Status, Verdict
from duixian.review import batch, selectors, services, worklist_extras
from duixian.review.answers_html import answers_body
from duixian.review.checklist_html import checklist_body, return_fields_body
from duixian.review.materials_html import materials_body
from duixian.review.verdict_html import verdict_html
from duixian.review.forms import ChecklistForm, ContactForm, FilterForm, NotRecommendForm, RecommendForm, ReturnForm

try:  # django-csp, when its middleware is on, must allow our own pages to frame the preview
    from csp.decorators import csp_update
except ImportError:  # pragma: no cover
    def csp_update(**_kwargs):
        return lambda view: view



def _swept(app: Application | None = None) -> Application | None:
    """The deadline's 逾期 marks are made before any state is shown (and `app` read again when
    the sweep ran)."""
    if services.sweep_if_due() is not None and app is not None:
        app.refresh_from_db()
    return app


# The paper delivery in one sentence, per batch and language (a few batches, two languages).
_DELIVERY_DUTY: memos.TextMemo = memos.text_memo(32)


def _delivery_context(pack=None) -> dict:
    """The paper delivery and the city deadline of `pack`'s batch (the default batch's without one)."""
    pack = pack or policy_bridge.get_pack()
    deadline = selectors.city_deadline(pack=pack)
    key = (id(pack), id(pack.delivery), get_language())
    duty = _DELIVERY_DUTY.get(key)
    if duty is None or duty[0] is not pack or duty[1] is not pack.delivery:
        duty = _DELIVERY_DUTY.put(key, (pack, pack.delivery, policy_bridge.delivery_duty_text(pack)))
    return {"delivery": pack.delivery, "deadline": deadline, "pack": pack, "delivery_duty": duty[2]}


# The work list's filter fields, unbound, per batch, language and state counts (issue 22): a
# FilterForm and its three widgets rendered once for the counts a city's list shows.
_FILTERS: memos.TextMemo = memos.text_memo(256)


def _filters_html(pack, counts: dict) -> SafeString:
    """review/_filters.html for an unbound FilterForm of `pack` with `counts`."""
    key = (id(pack), get_language(), tuple(counts.get(s.value, 0) for s in selectors.WORKLIST_STATES))
    found = _FILTERS.get(key)
    if found is None or found[0] is not pack:
        html = get_template("review/_filters.html").render({"form": FilterForm(pack=pack, counts=counts)})
        found = _FILTERS.put(key, (pack, mark_safe(html)))
    return found[1]


# The 汇总表 contact form as the work list shows it (unbound, the saved contact as its initial
# values), per contact and language: a city's clerks see the same one until it is changed.
_CONTACTS: memos.TextMemo = memos.text_memo(256)


def _contact_html(name: str, phone: str) -> SafeString:
    """includes/form.html for ContactForm(initial={name, phone})."""
    key = (name, phone, get_language())
    found = _CONTACTS.get(key)
    if found is None:
        form = ContactForm(initial={"contact_name": name, "contact_phone": phone})
        found = _CONTACTS.put(key, mark_safe(get_template("includes/form.html").render({"form": form})))
    return found


@requires("review.worklist")
def worklist(request):
    """The clerk's work of one batch (`?batch=`, the default batch without it)."""
    user = request.user
    _swept()
    chosen = batch_context(request)
    batch_id = chosen["batch"].batch_id
    counts = selectors.state_counts(user.city_code, batch_id)
    form = filters_html = None
    if request.GET:
        form = FilterForm(request.GET, pack=chosen["batch"], counts=counts)
    else:  # nothing filtered: the fields as shown for these counts (no form built)
        filters_html = _filters_html(chosen["batch"], counts)
    clause = state = text = ""
    if form is not None and form.is_valid():
        clause, state, text = form.cleaned_data["clause"], form.cleaned_data["state"], form.cleaned_data["q"]
    # without a clause or words to search, the state counts above say how many rows there are
    known = None if clause or text else counts.get(state, 0) if state else sum(counts.values())
    page = listing.page_of(selectors.worklist_items(user.city_code, batch_id=batch_id, clause=clause, state=state,
                                                    text=text, count=known), request, count=known)
    contact_name, contact_phone = selectors.city_contact(user.city_code, chosen["batch"])
    return render(request, "review/worklist.html", {**chosen,
        # the 汇总表's contact line, as exports' city_contact_line (read once a page, not twice)
        "contact_line": " ".join(part for part in (contact_name, contact_phone) if part),
        "applications": page.object_list, "page": page, "form": form, "filters_html": filters_html, "counts": counts, "city_code": user.city_code,
        "bureau": selectors.city_bureau_name(user.city_code, chosen["batch"]), "waiting": counts.get(S.SUBMITTED, 0),
        **worklist_extras.worklist_context(user.city_code, chosen["batch"]),  # 汇总表 preview, versions (exports)
        "contact_html": _contact_html(contact_name, contact_phone),
        **_delivery_context(chosen["batch"]),
    })


@require_POST
@requires("review.worklist")
def batch_recommend(request):
    """Ticked on the work list → the same applications listed for one confirmation → recommended."""
    user = request.user
    _swept()
    ids = record_ids(request.POST.getlist("selected"))
    query = batch_query(batch_from_request(request))  # the batch whose list the clerk ticked on
    back = reverse("review:worklist") + query
    if request.POST.get("confirm") == "1":
        try:
            done = batch.recommend_batch(user, ids, request=request)
        except services.ReviewError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已推荐 %(n)s 个申报：%(refs)s")
                             % {"n": len(done), "refs": "、".join(a.reference for a in done)})
        return redirect(back)
    rows = batch.candidates(user, ids)
    if not rows:
        messages.error(request, _("请先勾选要推荐的申报。"))
        return redirect(back)
    return render(request, "review/batch_recommend.html", {
        "batch_query": query, "rows": rows, "ready": [r for r in rows if not r.refusal],
        "refused": [r for r in rows if r.refusal],
        "bureau": selectors.city_bureau_name(user.city_code)})


@require_POST
@requires("review.worklist")
def contact(request):
    user = request.user
    form = ContactForm(request.POST)
    if form.is_valid():
        services.city_contact_save(user.city_code, name=form.cleaned_data["contact_name"],
                                   phone=form.cleaned_data["contact_phone"], user=user, request=request)
        messages.success(request, _("汇总表联系人已保存。"))
    else:
        messages.error(request, _("联系人信息有误：%(errors)s")
                       % {"errors": _("；").join(e for errs in form.errors.values() for e in errs)})
    return redirect(reverse("review:worklist") + batch_query(batch_from_request(request)))  # the list it was sent from


# The 推荐 and 不予推荐 forms' fields as the review page shows them unbound (the expected state
# hidden, the reason's label, help and textarea), per state, override and language (issue 22).
_DECISIONS: memos.TextMemo = memos.text_memo(64)


def _decision_body(kind: str, state: str, override: bool = False) -> SafeString:
    """review/_recommend_fields.html or _not_recommend_fields.html for the unbound form."""
    key = (kind, state, override, get_language())
    found = _DECISIONS.get(key)
    if found is None:
        if kind == "recommend":
            context = {"recommend_form": RecommendForm(prefix="rec", override_required=override,
                                                       initial={"expected_state": state}),
                       "override_required": override}
        else:
            context = {"not_recommend_form": NotRecommendForm(prefix="nr", initial={"expected_state": state})}
        found = _DECISIONS.put(key, mark_safe(get_template(f"review/_{kind}_fields.html").render(context)))
    return found


# The checklist's rows as checklist_body writes them for the unbound form, per pack, language
# and every row's item, text, system outcome, saved result and note (issue 22): the form is then
# not built either. A refused save (a bound form) is written as before.
_CHECKLISTS: memos.TextMemo = memos.text_memo(512)


def _checklist_key(rows, pack) -> tuple:
    return (id(pack), get_language(), tuple((r.id, r.text, r.system_outcome, r.result, r.note) for r in rows))


def _kept_checklist(rows, pack) -> SafeString | None:
    found = _CHECKLISTS.get(_checklist_key(rows, pack))
    return found[1] if found is not None and found[0] is pack else None


def _keep_checklist(rows, pack, html) -> None:
    _CHECKLISTS.put(_checklist_key(rows, pack), (pack, html))


def _detail_context(request, app, **forms) -> dict:
    snapshot = selectors.latest_snapshot(app)
    verdict = Verdict.from_json(snapshot.verdict) if snapshot else None
    rows = selectors.checklist_rows(app, verdict)
    recompute = request.GET.get("recompute") == "1"
    recomputed = selectors.recomputed_verdict(app) if recompute else None
    can_act, closed_reason = can_fire(request.user, app, "recommend")
    # needs_override_reason(app), on the snapshot read above instead of reading it again
    override = verdict is not None and verdict.status is Status.INELIGIBLE
    pack = policy_bridge.application_pack(app)
    checklist_form = forms.get("checklist_form")
    checklist_rows_html = None if checklist_form else _kept_checklist(rows, pack)
    if checklist_rows_html is None:
        checklist_form = checklist_form or ChecklistForm(rows=rows, prefix="cl")
        checklist_rows_html = checklist_body(checklist_form, pack)
        if not checklist_form.is_bound and checklist_rows_html is not None:
            _keep_checklist(rows, pack, checklist_rows_html)
    materials = policy_bridge.labelled_materials(app)
    return_form = forms.get("return_form") or ReturnForm(
        prefix="ret", rows=rows, drafts=services.return_reasons_from_checklist(app, rows),
        initial={"expected_state": app.state})
    answers = answer_rows(snapshot)
    ctx = {
        "app": app, "snapshot": snapshot, "verdict": verdict, "recomputed": recomputed,
        "snapshot_panel": verdict_html(verdict, "snapshot"),
        "recomputed_panel": verdict_html(recomputed, "recomputed") if recomputed else None,
        "answers": answers, "answers_body": answers_body(answers),
        "materials": materials, "previewable": PREVIEWABLE,
        "materials_body": materials_body(app, materials, PREVIEWABLE),
        "checklist_rows": rows, "checklist": {r.id: r.text for r in rows},
        "can_act": can_act, "closed_reason": closed_reason, "override_required": override,
        "history_rows": history_rows(app, {r.id: r.text for r in rows}, other=True),
        "checklist_form": checklist_form, "checklist_body": checklist_rows_html,
        # the decisions' fields as shown unbound, kept (a refused decision's bound form: the template's)
        "recommend_form": forms.get("recommend_form"), "recommend_body": None if forms.get("recommend_form")
        or not can_act else _decision_body("recommend", app.state, override),
        "return_form": return_form, "return_fields": return_fields_body(return_form) if can_act else None,
        "not_recommend_form": forms.get("not_recommend_form"), "not_recommend_body": None
        if forms.get("not_recommend_form") or not can_act else _decision_body("not_recommend", app.state),
        "error_form": forms.get("error_form"), "action_error": forms.get("action_error", ""),
        **_delivery_context(pack),
    }
    return ctx


@xframe_options_sameorigin
@csp_update(FRAME_SRC="'self'", OBJECT_SRC="'self'")
@requires("review.application", application_of)
def detail(request, app, **_url):
    _swept(app)
    return render(request, "review/detail.html", _detail_context(request, app))


@require_POST
@requires("review.application", application_of)
def checklist(request, app, **_url):
    _swept(app)
    rows = selectors.checklist_rows(app)
    form = ChecklistForm(request.POST, rows=rows, prefix="cl")
    if form.is_valid():
        try:
            n = services.checklist_save(app, form.results(), user=request.user, request=request)
        except services.ReviewError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("审核清单已保存（%(n)s 项有变化）。") % {"n": n} if n else _("审核清单没有变化。"))
        return redirect("review:detail", pk=app.pk)
    return render(request, "review/detail.html", _detail_context(request, app, checklist_form=form), status=400)


ACTION_FORMS = {"recommend": ("recommend_form", "rec"), "return": ("return_form", "ret"),
                "not_recommend": ("not_recommend_form", "nr")}
DONE = {"recommend": _("已推荐。"), "return": _("已退回补正，申报单位将收到逐项补正意见。"), "not_recommend": _("已作出不予推荐决定。")}


@require_POST
@requires("review.application", application_of)
def act(request, app, action, **_url):
    _swept(app)
    if action not in ACTION_FORMS:
        raise Http404(_("未知的操作。"))
    key, prefix = ACTION_FORMS[action]
    if action == "recommend":
        form = RecommendForm(request.POST, prefix=prefix, override_required=needs_override_reason(app))
    elif action == "return":
        form = ReturnForm(request.POST, prefix=prefix, rows=selectors.checklist_rows(app))
    else:
        form = NotRecommendForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.review_decide(
                app, action, user=request.user, reason=form.cleaned_data.get("reason", ""),
                item_reasons=form.item_reasons() if action == "return" else None,
                expected_state=form.cleaned_data["expected_state"], request=request)
        except TransitionConflict as exc:
            messages.error(request, exc.message)
            return redirect("review:detail", pk=app.pk)
        except TransitionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, f"{app.reference}：{DONE[action]}")
            return redirect("review:detail", pk=app.pk)
    else:
        audit_record(f"application.{action}", request=request, obj=app, outcome="refused",
                     detail={"error": "；".join(e for errs in form.errors.values() for e in errs)})
    app.refresh_from_db()
    return render(request, "review/detail.html",
                  _detail_context(request, app, **{key: form, "error_form": form}), status=400)


@xframe_options_sameorigin
@csp_update(FRAME_ANCESTORS="'self'")
@requires("review.application", application_of)
def material_view(request, app, material_id, **_url):
    """A PDF or image shown inline in the review page, a DOCX as its text (framed only by our own pages)."""
    _swept(app)
    material = get_object_or_404(Material, pk=material_id, application=app)
    response = preview_response(request, material, label=policy_bridge.material_label(app, material.slot),
                                download_url=reverse("applications:material_download", args=[app.pk, material.pk]))
    audit_record("material.view", request=request, obj=material,
                 detail={"application": app.pk, "reference": app.reference or "", "slot": material.slot})
    return response


@requires("review.expired")
def expired(request):
    """逾期 applications: the province sees every city's, a clerk their own."""
    user = request.user
    _swept()  # no worker running: the page marks them itself before it lists them
    if user.role == Role.CITY_CLERK:
        qs = selectors.expired_applications(user.city_code)
    else:
        qs = selectors.expired_applications()
    from duixian.orgs.selectors import city_name

    apps = list(qs)
    for app in apps:
        app.city_name = city_name(app.city_code) or app.city_code
    return render(request, "review/expired.html", {"applications": apps, **_delivery_context(),
                                                    "now": clock.now()})
