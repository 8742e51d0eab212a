"""`{{ form|not_done_of:field.name }}`: the 尚未完成 box that goes with a date question of a section
form (applications/_section_form.html), or None. One lookup, where the template looked through
every field of the form for each question (issue 22)."""

from django import template

from duixian.applications.section_html import section_form_html

register = template.Library()


@register.filter
def not_done_of(form, name):
    key = f"{name}__not_done"
    return form[key] if key in form.fields else None


@register.simple_tag(takes_context=True)
def section_form(context):
    """`{% include "applications/_section_form.html" %}` for the context's `form`, written in
    Python while that template is the text duixian.applications.section_html knows."""
    return section_form_html(context["form"], context)
