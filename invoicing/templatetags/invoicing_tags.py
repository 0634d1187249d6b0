"""{% sale_invoicing sale %}: the sale page's invoice panel (Create Invoice, the
invoice, its credit notes, the order confirmation); `|tax_rate` prints a rate kept in
hundredths of a percent."""

from __future__ import annotations

from django import template

from invoicing import selectors
from sales.models import Sale

register = template.Library()


@register.filter
def tax_rate(rate_bp: int) -> str:
    return f"{int(rate_bp) / 100:g} %"


@register.inclusion_tag("invoicing/includes/sale_panel.html")
def sale_invoicing(sale: Sale) -> dict:
    return {
        "sale": sale,
        "invoice": selectors.sale_invoice(sale=sale),
        "credit_notes": list(selectors.sale_credit_notes(sale=sale)),
        "is_active": sale.status == Sale.Status.ACTIVE,
    }
