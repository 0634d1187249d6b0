"""{% reports_home_summary %}: the home page's summary of this month's sales, new Inbox
orders, the top 5 clients and the top 5 opportunities (cyan/views.py passes no context,
so the tag reads request.studio itself).

{% load reports_home %}
{% reports_home_summary %}
"""

from __future__ import annotations

from django import template

from reports.selectors import home_summary

register = template.Library()


@register.inclusion_tag("reports/includes/home_summary.html", takes_context=True)
def reports_home_summary(context: template.Context) -> dict:
    request = context.get("request")
    studio = getattr(request, "studio", None)
    if studio is None:
        return {"summary": None}
    return {"summary": home_summary(studio=studio)}
