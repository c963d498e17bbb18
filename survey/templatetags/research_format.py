"""Number formats of the research pages: ``{{ share|pct }}`` -> "41%", ``|pct:1`` -> "72.0%",
``{{ mean|num:2 }}`` -> "3.50" (:mod:`bluelight.formatting`; a dash when there is none), and
``{% suppressed_mark %}``: a suppressed figure's cell, a dash that screen readers read as
"suppressed" (the table says the rule once, in its caption)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bluelight.formatting import DASH, number, percent

register = template.Library()


@register.filter
def pct(value, digits=0):
    """A share (0-1) as a percentage."""
    return percent(value, int(digits))


@register.filter
def num(value, digits=2):
    """A number with fixed decimals."""
    return number(value, int(digits))


@register.simple_tag
def suppressed_mark(reason: str = "") -> SafeString:
    """A suppressed figure: a dash on screen, "suppressed" (or ``reason``) when read out."""
    return format_html('<span class="bl-suppressed text-body-secondary">{}'
                       '<span class="visually-hidden"> {}</span></span>',
                       DASH, reason or _("suppressed"))
