"""单位证照库 pages: the organisation's documents, adding and retiring one, attaching one to a slot."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duixian.authz import check, requires
from duixian.applications.selectors import application_of
from duixian.audit.services import audit_record
from duixian.core.errors import DomainError, add_to_form
from duixian.core.stored_files import open_or_404
from duixian.wallet import selectors
from duixian.wallet.forms import AttachForm, WalletDocumentForm
from duixian.wallet.models import WalletDocument
from duixian.wallet.services import wallet_attach, wallet_document_add, wallet_document_retire


def document_of(pk, **_url) -> WalletDocument | None:
    return WalletDocument.objects.filter(pk=pk).first()


def _to_list(request, document, decision):
    messages.error(request, decision.reason)
    return redirect("wallet:list")


@requires("wallet.view")
def wallet(request):
    organisation_id = request.user.organisation_id
    documents = selectors.current_documents(organisation_id)
    form = WalletDocumentForm(request.POST or None, request.FILES or None, documents=documents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        replaces = next((d for d in documents if d.pk == data["replaces"]), None)
        try:
            document = wallet_document_add(
                request.user.organisation, doc_type=data["doc_type"], title=data["title"], issuer=data["issuer"],
                issued_on=data["issued_on"], valid_until=data["valid_until"], upload=data["file"],
                user=request.user, replaces=replaces, request=request)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("“%(title)s”已存入单位证照库。") % {"title": document.title})
            return redirect("wallet:list")
    return render(request, "wallet/list.html", {
        "documents": documents, "history": selectors.document_history(organisation_id), "form": form,
        "today": selectors.today(), "can_change": check(request.user, "wallet.change").allowed},
        status=400 if form.errors else 200)


@requires("wallet.view", document_of)
def download(request, document, **_url):
    audit_record("wallet.download", request=request, obj=document, detail={"version": document.version})
    return FileResponse(open_or_404(document.stored_name), as_attachment=True, filename=document.original_name,
                        content_type=document.content_type)


@require_POST
@requires("wallet.change", document_of, refused=_to_list)
def retire(request, document, **_url):
    try:
        wallet_document_retire(document, user=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(title)s”已停用；已提交的申报仍保留所用版本。") % {"title": document.title})
    return redirect("wallet:list")


def _to_materials(request, app, decision):
    messages.error(request, decision.reason)
    return redirect("applications:materials", pk=app.pk)


@require_POST
@requires("application.edit", application_of, refused=_to_materials)
def attach(request, app, slot, **_url):
    form = AttachForm(request.POST)
    document = WalletDocument.objects.filter(pk=form.cleaned_data["document"]).first() if form.is_valid() else None
    if document is None:
        messages.error(request, _("请选择证照库中的证照。"))
    else:
        try:
            wallet_attach(app, slot, document, user=request.user, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已从单位证照库选用“%(title)s”（第%(v)s版）。") % {
                "title": document.title, "v": document.version})
    return redirect(reverse("applications:materials", args=[app.pk]) + f"#slot-{slot}")
