"""The wallet on the material pages:
`{% wallet_slot app slot_id material %}`: where the slot's file came from, and (for the
organisation's editors) a choice of wallet documents to use instead of uploading;
`{% material_origin material %}`: where one file came from, for the clerk's review page;
`{% wallet_flags slots %}`: the attached documents past their validity, before submission."""

from django import template
from django.utils import translation

from duixian.core import memos
from duixian.wallet import selectors
from duixian import authz

register = template.Library()


@register.inclusion_tag("wallet/_origin.html")
def material_origin(material):
    return {"document": material.wallet_document if material else None, "today": selectors.today()}


@register.inclusion_tag("wallet/_slot.html", takes_context=True)
def wallet_slot(context, app, slot_id, material, can_edit):
    # One page lists every slot of one application: the rule, the documents and the day are asked
    # once per page (render_context lives for one rendering of the page), not once per slot.
    key = ("wallet_slot", app.pk, app.organisation_id, bool(can_edit))
    documents, today = context.render_context.get(key) or (None, None)
    if today is None:
        user = context["request"].user
        documents = []
        if can_edit and authz.check(user, "wallet.change", app):  # the wallet of the application's organisation
            documents = selectors.current_documents(app.organisation_id)
        today = selectors.today()
        context.render_context[key] = (documents, today)
    return {"app": app, "slot_id": slot_id, "document": material.wallet_document if material else None, "documents": documents,
            "today": today, "csrf_token": context.get("csrf_token"), "can_edit": can_edit}


# wallet/_flags.html with nothing expired (what nearly every 确认信息 and 材料 page shows), rendered
# once per loaded template and language.
_NOTHING_EXPIRED = memos.text_memo(16)


@register.simple_tag(takes_context=True)
def wallet_flags(context, slots):
    """wallet/_flags.html for `slots`, the page's material slot states (each with its `material`
    or None), as an inclusion tag rendered it."""
    expired = selectors.expired_attachments(s.material for s in slots)
    flags = context.template.engine.get_template("wallet/_flags.html")
    if not expired:
        key = (flags, translation.get_language())
        found = _NOTHING_EXPIRED.get(key)
        if found is None:
            found = _NOTHING_EXPIRED.put(key, flags.render(context.new({"expired": expired})))
        return found
    new = context.new({"expired": expired})
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        new["csrf_token"] = csrf_token
    return flags.render(new)
