"""The review page's list of files written in Python (issue 22).

Through the template engine each file (nine for clause 2) costs two `{% url %}`, an inclusion tag
for where it came from, `pack_text`, `filesizeformat` and the nested ifs: about a tenth of the
clerk's review page. `materials_body(app, materials, previewable)` writes what review/detail.html's
`{% for m in materials %}` loop writes, byte for byte (tests/review/test_checklist_html.py
renders both): the two URLs are the page's reverse() with the file's id put in, and where a file
came from is wallet/_origin.html rendered as before, once per language for the files uploaded
with the application (that sentence names no document), for each file from the wallet.

None (the template's loop writes the list) when there is no file: the loop's `{% empty %}`.
"""

from __future__ import annotations

from django.template import engines
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from duixian.core import memos
from duixian.policy.display import pack_text

_SENTINEL = 2147483647  # a file id no URL of the page holds otherwise
_UPLOADED: memos.TextMemo = memos.text_memo(16)
_FRAMED = ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _url_of(name: str, app_pk) -> callable:
    """reverse(name, args=[app_pk, pk]) for any file pk, with one reverse() a page."""
    url = reverse(name, args=[app_pk, _SENTINEL])
    if app_pk == _SENTINEL or url.count(str(_SENTINEL)) != 1:
        return lambda pk: reverse(name, args=[app_pk, pk])
    head, tail = url.split(str(_SENTINEL))
    return lambda pk: f"{head}{int(pk)}{tail}"


_ORIGIN_TAG = "{% load wallet %}{% material_origin material %}"
_origin_tag = None


def _origin_text(material) -> str:
    """The wallet's own tag, through the template engine: review sits below wallet and imports
    none of its modules (the apps-layered import contract, docs/decisions/0002)."""
    global _origin_tag
    engine = engines["django"]  # a new one when a test changes TEMPLATES
    if _origin_tag is None or _origin_tag.backend is not engine:
        _origin_tag = engine.from_string(_ORIGIN_TAG)
    return _origin_tag.render({"material": material})


def _origin(material, template) -> str:
    if material.wallet_document_id is not None:
        return _origin_text(material)
    compiled = getattr(template, "template", template)  # the engine's cached Template, not the backend's wrapper
    key = (id(compiled), get_language() or "")
    known = _UPLOADED.get(key)
    if known is None or known[0] is not compiled:
        known = _UPLOADED.put(key, (compiled, _origin_text(material)))
    return known[1]


# Each file's <details> as written, per everything it shows (issue 22): a file's name, size,
# requirement and type do not change once uploaded, and the clerks of a city open the same
# applications again and again. A file from the wallet (its origin names the document) is
# written each time.
_FILES: memos.TextMemo = memos.text_memo(4096)


def materials_body(app, materials, previewable) -> SafeString | None:
    """The files as review/detail.html's loop writes them (None: let the loop write them)."""
    if not materials:
        return None
    template = get_template("wallet/_origin.html")
    compiled = getattr(template, "template", template)
    page = (get_language() or "", get_script_prefix(), get_urlconf(), id(compiled), app.pk)
    words = None
    out = []
    for m in materials:
        key = None
        if m.wallet_document_id is None:
            key = (page, m.pk, m.original_name, m.size, m.requirement_label, m.content_type,
                   m.content_type in previewable)
            found = _FILES.get(key)
            if found is not None and found[0] is compiled:
                out.append(found[1])
                continue
        if words is None:
            words = _page_words(app)
        written = _file(m, previewable, template, *words)
        if key is not None:
            _FILES.put(key, (compiled, written))
        out.append(written)
    return mark_safe("".join(out))


def _page_words(app) -> tuple:
    """The page's two URLs (a function of the file's id each) and its words, once a page."""
    download = _url_of("applications:material_download", app.pk)
    view = _url_of("review:material_view", app.pk)
    colon, get, no_preview = (conditional_escape(gettext(t)) for t in ("：", "下载", "该类型的文件不能在浏览器中预览，请下载后查看。"))
    return download, view, colon, get, no_preview


def _file(m, previewable, template, download, view, colon, get, no_preview) -> str:
    name = conditional_escape(m.original_name)
    out = [f'\n  \n  <details class="material">\n    <summary><strong>{pack_text(m.requirement_label)}</strong>'
           f'{colon}{name} <span class="muted">{conditional_escape(filesizeformat(m.size))}</span> · '
           f'{_origin(m, template)}</summary>\n    <p><a href="{conditional_escape(download(m.pk))}">{get}</a></p>\n    ']
    if m.content_type in previewable:
        src = conditional_escape(view(m.pk))
        if m.content_type in _FRAMED:
            out.append(f'\n      \n      <iframe class="letter-preview material-preview" title="{name}" src="{src}" '
                       f'loading="lazy"></iframe>\n      \n    ')
        else:
            out.append(f'\n      <img class="letter-preview material-preview" alt="{name}" src="{src}" '
                       f'loading="lazy">\n    ')
    else:
        out.append(f'<p class="muted">{no_preview}</p>')
    out.append("\n  </details>\n  ")
    return "".join(out)
