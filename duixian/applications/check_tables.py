"""The two tables of 确认信息 (the answers, section by section, and the materials) and the status
page's list of submitted files, written here instead of through the template engine (issue 22:
some 25 rows, each with a label, a value, a link and translated words, were most of 确认信息's
template work).

Byte for byte what the template's loops wrote (tests/applications/test_pinned_pages.py pins the
page in Chinese and English, with hostile answers and file names): values go through the same
`zh` filter, everything else escaped as the template escaped it; the words are translated and the
URLs reversed once per page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from duixian.core.templatetags.quoted import zh
from duixian.policy.display import pack_text


def answer_tables(app, sections) -> SafeString:
    """`sections`: (section, [(question, value shown), …]) in task-list order."""
    change = esc(gettext("修改"))
    out = []
    for sec, rows in sections:
        url = esc(reverse("applications:section", args=[app.pk, sec.key]))
        out.append(f'\n<h2>{esc(sec.title)}</h2>\n\n<div class="table-scroll"><table class="check-answers">\n  ')
        for question, value in rows:
            label = esc(question.display_label)
            out.append(f'<tr><th scope="row">{label}</th><td>{esc(zh(value))}</td>\n    <td><a href="{url}#q-'
                       f'{esc(question.field_name)}">{change}<span class="visually-hidden"> {label}</span></a></td></tr>')
        out.append("\n</table></div>\n")
    return mark_safe("".join(out))


def material_table(app, slots) -> SafeString:
    """`slots`: the application's material slot states (selectors.material_states)."""
    change, missing, optional = (esc(gettext(w)) for w in ("修改", "未上传", "不影响提交"))
    url = esc(reverse("applications:materials", args=[app.pk]))
    out = ['\n<div class="table-scroll"><table class="check-answers">\n  ']
    for s in slots:
        if s.material:
            held = esc(s.material.original_name)
        elif s.slot.blocking:
            held = f'<span class="tag bad">{missing}</span>'
        else:
            held = f'<span class="tag">{missing}</span> <span class="muted">{optional}</span>'
        out.append(f'<tr><th scope="row">{pack_text(s.slot.label)}</th><td>{held}</td>\n  <td><a href="{url}#slot-'
                   f'{esc(s.slot.id)}">{change}</a></td></tr>')
    out.append("\n</table></div>")
    return mark_safe("".join(out))


def material_links(app, materials) -> SafeString:
    """The status page's 已提交材料: each file under its requirement's label, linked for download
    (`materials`: policy_bridge.labelled_materials)."""
    colon = esc(gettext("："))
    head, _mark, tail = reverse("applications:material_download", args=[app.pk, _PK]).rpartition(str(_PK))
    head, tail = esc(head), esc(tail)
    return mark_safe("".join(f'<li>{pack_text(m.requirement_label)}{colon}<a href="{head}{m.pk}{tail}">'
                             f'{esc(m.original_name)}</a></li>' for m in materials))


_PK = 987654321  # a stand-in reversed once, then replaced by each file's own
