"""`qty`: a quantity as a plain decimal (no exponent, no trailing zeros), as the engine writes it."""

from decimal import Decimal

from django import template

from duixian.compute.engine import format_decimal

register = template.Library()


@register.filter
def qty(value) -> str:
    if value is None or value == "":
        return "—"
    return format_decimal(Decimal(str(value)))
