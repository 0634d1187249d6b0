"""{% reports_overdue %}: instalments past their due date and not fully paid, for Home
(cyan/views.py passes no context, so the tag reads request.studio itself).

{% load reports_overdue %}
{% reports_overdue %}
"""

from __future__ import annotations

from django import template

from core.clock import studio_today
from reports.selectors import overdue_instalments

register = template.Library()


@register.inclusion_tag("reports/includes/overdue.html", takes_context=True)
def reports_overdue(context: template.Context) -> dict:
    request = context.get("request")
    studio = getattr(request, "studio", None)
    if studio is None:
        return {"overdue": []}
    return {"overdue": overdue_instalments(studio=studio, today=studio_today(studio))}
