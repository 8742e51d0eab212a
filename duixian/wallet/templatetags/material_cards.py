"""`{% material_cards %}`: the cards of 材料 (applications/materials.html), one per slot of the
pack, written here instead of through the template engine (issue 22: nine cards, each with three
links, a date, a file size, a form and eight translated words, were most of the page's CPU).

Byte for byte what the template loop wrote (tests/applications/test_pinned_pages.py pins the page
in Chinese and English: uploaded, empty, previewable, read-only, a refused upload, 单位证照库
documents); the words are translated and the URLs reversed once per page. Each card's 单位证照库
part is still `{% wallet_slot %}`'s template, rendered once per page when it cannot differ from
slot to slot (no document attached and none to choose from). It lives in wallet, the app above
applications that puts its picker into each card (docs/decisions/0002).
"""

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import conditional_escape as esc, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from duixian.core import memos
from duixian.core.templatetags.kept import date as date_filter  # Django's, each result kept per process
from duixian.policy.display import pack_text
from .wallet import wallet_slot

register = template.Library()

_PK, _SLOT = 987654321, "zz-slot-zz"  # stand-ins reversed once, then replaced by each card's own


# (head, tail) of the three links of each application's cards, and the card's 单位证照库 part when
# it is the same for every slot, per language, URL prefix and URL conf (and template, for the part).
_PATTERNS = memos.text_memo(4096)
_CONSTANT_WALLET = memos.text_memo(64)
# A card's heading (the slot's name and standing) per slot and language, the cards' words and
# format per language, a file size as the page says it per size and language.
_HEADINGS = memos.text_memo(1024)
_WORDS = memos.text_memo(16)
_SIZES = memos.text_memo(4096)
_WORD_LIST = ("已上传", "预览", "未上传", "不影响提交", "替换文件", "选择文件", "上传")


def _words(language) -> tuple[dict, str]:
    """The cards' words (escaped) and the upload time's format, in the page's language."""
    found = _WORDS.get(language)
    if found is None:
        found = _WORDS.put(language, ({w: esc(gettext(w)) for w in _WORD_LIST}, gettext("Y年n月j日 H:i")))
    return found


def _heading(slot, language) -> str:
    key = (slot.id, slot.name, slot.required, slot.confirmed, language)
    found = _HEADINGS.get(key)
    if found is None:
        found = _HEADINGS.put(key, f'\n<div class="card" id="slot-{esc(slot.id)}">\n  <h3>{pack_text(slot.name)} '
                                   f'<span class="tag{" warn" if slot.blocking else ""}">{esc(slot.status_note)}</span>'
                                   f'</h3>\n  ')
    return found


def _size(size, language) -> str:
    key = (size, language)
    found = _SIZES.get(key)
    if found is None:
        found = _SIZES.put(key, esc(filesizeformat(size)))
    return found


def _pattern(name: str, *args) -> tuple[str, str]:
    """(head, tail) of a URL around its last argument, escaped: head + str(value) + tail."""
    key = (name, args, get_script_prefix(), get_urlconf(), translation.get_language())
    found = _PATTERNS.get(key)
    if found is None:
        url = reverse(name, args=args)
        head, _mark, tail = url.rpartition(str(args[-1]))
        found = _PATTERNS.put(key, (esc(head), esc(tail)))
    return found


def _csrf_input(context) -> str:
    """What `{% csrf_token %}` writes in this context."""
    token = context.get("csrf_token")
    if not token:
        return ""
    return "" if token == "NOTPROVIDED" else format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _wallet(context, app, slot_id, material, can_edit, same: dict) -> str:
    """`{% wallet_slot app slot_id material can_edit %}` in this context."""
    values = wallet_slot(context, app, slot_id, material, can_edit)
    constant = values["document"] is None and not (can_edit and values["documents"])
    if constant and "html" in same:
        return same["html"]
    slot_template = context.template.engine.get_template("wallet/_slot.html")
    key = None
    if constant:  # no document, no picker: only the flag, the language and the list's link tell it
        key = (bool(can_edit), slot_template, get_script_prefix(), get_urlconf(), translation.get_language())
        html = _CONSTANT_WALLET.get(key)
        if html is not None:
            same["html"] = html
            return html
    new = context.new(values)
    csrf_token = context.get("csrf_token")
    if csrf_token is not None:
        new["csrf_token"] = csrf_token
    html = slot_template.render(new)
    if constant:
        same["html"] = _CONSTANT_WALLET.put(key, html)
    return html


@register.simple_tag(takes_context=True)
def material_cards(context):
    app, can_edit = context["app"], context["can_edit"]
    previewable = context.get("previewable") or ()
    upload_error, error_slot = context.get("upload_error"), context.get("error_slot")
    language = translation.get_language()
    words, day_format = _words(language)
    download = _pattern("applications:material_download", app.pk, _PK)
    preview = _pattern("applications:material_preview", app.pk, _PK)
    upload = _pattern("applications:material_upload", app.pk, _SLOT)
    csrf = _csrf_input(context) if can_edit else ""
    same: dict = {}
    out = []
    for s in context["slots"]:
        slot, material = s.slot, s.material
        sid = esc(slot.id)
        blocking = slot.blocking
        out.append(_heading(slot, language))
        if material:
            out.append(f'<p><span class="tag ok">{words["已上传"]}</span>\n    <a href="{download[0]}{material.pk}'
                       f'{download[1]}">{esc(material.original_name)}</a>\n    ')
            if material.content_type in previewable:
                out.append(f'<a href="{preview[0]}{material.pk}{preview[1]}" target="_blank" rel="noopener">'
                           f'{words["预览"]}</a>')
            out.append(f'\n    <span class="muted">{_size(material.size, language)} · '
                       f'{esc(date_filter(template_localtime(material.uploaded_at, context.use_tz), day_format))}</span></p>\n  ')
        else:
            out.append(f'<p><span class="tag">{words["未上传"]}</span>')
            if not blocking:
                out.append(f' <span class="muted">{words["不影响提交"]}</span>')
            out.append("</p>")
        out.append(f"\n  {_wallet(context, app, slot.id, material, can_edit, same)}\n  ")
        if can_edit:
            failed = bool(upload_error) and error_slot == slot.id
            out.append(f'\n  <form method="post" enctype="multipart/form-data" action="{upload[0]}{sid}'
                       f'{upload[1]}">{csrf}\n    ')
            if failed:
                out.append(f'<ul class="errorlist" id="file-{sid}-error"><li>{esc(upload_error)}</li></ul>')
            out.append(f'\n    <label for="file-{sid}">{words["替换文件"] if material else words["选择文件"]}</label>\n'
                       f'    <input type="file" name="file" id="file-{sid}" accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx" required')
            if failed:
                out.append(f' aria-describedby="file-{sid}-error" aria-invalid="true"')
            out.append(f'>\n    <button type="submit" class="secondary">{words["上传"]}</button>\n  </form>\n  ')
        out.append("\n</div>\n")
    return mark_safe("".join(out))
