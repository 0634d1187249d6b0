"""{% submission_field %}: the one-time token of a form that records money (core.submissions)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from core.submissions import token_field

register = template.Library()


@register.simple_tag
def submission_field() -> SafeString:
    return token_field()
