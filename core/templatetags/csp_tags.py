"""Helpers for the Content-Security-Policy (settings.SECURE_CSP)."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def with_style_nonce(svg: str, nonce: object) -> SafeString:
    """Cyan's own inline SVG (a report chart) with the request's CSP nonce on its <style>
    elements, so the chart's styles apply under a policy that allows no inline style.
    Only for markup Cyan generated: it is marked safe as it is."""
    nonce_attribute = f'<style nonce="{escape(str(nonce))}"'
    return mark_safe(str(svg).replace("<style", nonce_attribute))
