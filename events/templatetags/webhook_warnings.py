"""{% webhook_warnings %}: a warning for every webhook endpoint Cyan stopped sending to (410
Gone, or three days of failures), on Home, where the studio will see it."""

from __future__ import annotations

from django import template

from events.selectors import stopped_endpoints

register = template.Library()


@register.inclusion_tag("events/includes/webhook_warnings.html", takes_context=True)
def webhook_warnings(context: template.Context) -> dict:
    studio = getattr(context.get("request"), "studio", None)
    if studio is None:
        return {"endpoints": []}
    return {"endpoints": list(stopped_endpoints(studio=studio))}
