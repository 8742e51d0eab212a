"""Filters for showing a verdict: `{{ verdict.status|status_label }}` and the like (policy.display)."""

from django import template
from django.utils.html import format_html

from duixian.policy import display

register = template.Library()

register.filter("status_label", display.status_label)
register.filter("status_note", display.status_note)
register.filter("status_tone", display.status_tone)
register.filter("outcome_label", display.outcome_label)
register.filter("kind_label", display.kind_label)
register.filter("rule_message", display.rule_message)
register.filter("pack_text", display.pack_text)
register.filter("clause_number", display.clause_number)
register.filter("pack_words", display.pack_words)


@register.filter
def notice_anchor(rule_id: str, pack) -> str:
    """The notice page's anchor of the sentence a rule implements ("" for a rule the pack lacks)."""
    try:
        return f"s-{pack.rule(rule_id).sentence}"
    except (KeyError, AttributeError):
        return ""


@register.simple_tag
def status_tag(status, tag_id: str = ""):
    """A status as the coloured tag every page shows: `{% status_tag verdict.status "current-verdict" %}`."""
    return format_html('<span class="tag {}"{}>{}</span>', display.status_tone(status),
                       format_html(' id="{}"', tag_id) if tag_id else "", display.status_label(status))
