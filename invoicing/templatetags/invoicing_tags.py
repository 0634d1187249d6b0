"""{% sale_invoicing sale %}: the sale page's invoice panel (Create Invoice, the
invoice, its credit notes, the order confirmation); `|tax_rate` prints a rate kept in
hundredths of a percent."""

from __future__ import annotations

from django import template

from core.clock import studio_today
from invoicing import selectors
from invoicing.forms import AddPaymentForm
from invoicing.models import ScheduleTemplate
from invoicing.pdf import client_email
from invoicing.schedules import schedule_state
from sales.models import Sale

register = template.Library()


@register.filter
def tax_rate(rate_bp: int) -> str:
    return f"{int(rate_bp) / 100:g} %"


@register.inclusion_tag("invoicing/includes/sale_panel.html")
def sale_invoicing(sale: Sale) -> dict:
    today = studio_today(sale.studio)
    state = schedule_state(sale)
    return {
        "sale": sale,
        "invoice": selectors.sale_invoice(sale=sale),
        "credit_notes": list(selectors.sale_credit_notes(sale=sale)),
        "is_active": sale.status == Sale.Status.ACTIVE,
        "state": state,
        "today": today,
        # A gallery order paid at the gallery: no schedule, just "Paid".
        "collected": sale.imported and not state.instalments and sale.balance_minor <= 0,
        "templates": list(ScheduleTemplate.objects.filter(studio_id=sale.studio_id)),
        "pay_form": AddPaymentForm(currency=sale.currency, initial={"paid_on": today}),
        "audit": list(sale.audit_lines.all()[:20]),
        "client_email": client_email(sale),
    }
