"""{% gallery_link_warnings %}: a warning for every gallery link that needs re-linking, on
each page where a photographer would otherwise wonder why orders stopped (Home, Inbox)."""

from __future__ import annotations

from django import template

from galleries.selectors import links_needing_attention

register = template.Library()


@register.inclusion_tag("galleries/includes/link_warnings.html", takes_context=True)
def gallery_link_warnings(context: template.Context) -> dict:
    studio = getattr(context.get("request"), "studio", None)
    links = list(links_needing_attention(studio=studio)) if studio is not None else []
    return {"links": links}
