"""`{{ form|not_done_of:field.name }}`: the 尚未完成 box that goes with a date question of a section
form (applications/_section_form.html), or None. One lookup, where the template looked through
every field of the form for each question (issue 22)."""

from django import template

register = template.Library()


@register.filter
def not_done_of(form, name):
    key = f"{name}__not_done"
    return form[key] if key in form.fields else None
