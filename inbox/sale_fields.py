"""An Inbox order as a sale's fields: the one mapping that "Import Order" creates a sale
with and that a later version of an imported order brings the sale back to
(inbox.imported_updates), so both always agree."""

from __future__ import annotations

from core.clock import local_date
from galleries.schema import GalleryOrder
from inbox.import_window import linkable_url
from inbox.models import InboxItem
from sales.models import Sale
from sales.services import LineInput, PaymentInput, RefundInput


def sale_source(provider: str) -> str:
    return provider if provider in Sale.Source.values else Sale.Source.API


def sale_fields(item: InboxItem, order: GalleryOrder) -> dict:
    """Every detail of the normalized order, as create_sale() keywords."""
    gallery = order.gallery
    codes = [d.code for d in [*order.promotions, *order.discounts] if d.code]
    return {
        "sale_date": local_date(order.placed_at, item.studio),
        "currency": order.currency,
        "lines": [
            LineInput(
                description=line.name,
                product_kind=line.kind,
                quantity=line.quantity,
                unit_price_minor=line.unit_price_minor,
                discount_minor=line.discount_minor,
                tax_minor=line.tax_minor,
                options={**line.options, **({"sku": line.sku} if line.sku else {})},
                external_ref=line.id,
            )
            for line in order.lines
        ],
        "source": sale_source(order.provider),
        "external_ref": order.order_id,
        "prices_include_tax": order.prices_include_tax,
        "discount_code": ", ".join(dict.fromkeys(codes))[:60],
        "order_discount_minor": order.discount_minor,
        "shipping_minor": order.shipping_minor,
        "shipping_method": order.shipping_method,
        "platform_fee_minor": order.fees.platform_fee_minor if order.fees else None,
        "lab_cost_minor": order.fees.lab_cost_minor if order.fees else None,
        "payment_collected_by": (
            Sale.CollectedBy.PROVIDER
            if order.payment_collected_by == "provider"
            else Sale.CollectedBy.STUDIO
        ),
        "gallery_provider": order.provider if gallery else "",
        "gallery_id": gallery.id if gallery else "",
        "gallery_name": gallery.name if gallery else "",
        "gallery_url": linkable_url(gallery.url) if gallery else "",
        "notes": f"Imported from {item.source} order {order.order_number or order.order_id}.",
        "payments": [
            PaymentInput(
                amount_minor=order.amount_paid_minor,
                paid_on=local_date(order.placed_at, item.studio),
                method=f"{item.source} checkout",
                reference=order.order_number or order.order_id,
            )
        ]
        if order.amount_paid_minor > 0
        else [],
        "refunds": [
            RefundInput(
                amount_minor=refund.amount_minor,
                refunded_on=refund.refunded_at.date(),
                reason=refund.reason,
                external_ref=refund.id,
            )
            for refund in order.refunds
        ],
        "status": Sale.Status.CANCELLED if order.status == "cancelled" else Sale.Status.ACTIVE,
    }
