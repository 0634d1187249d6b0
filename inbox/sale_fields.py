"""An Inbox order as a sale's input (SaleInput): the one mapping that "Import Order" creates a sale
with and that a later version of an imported order brings the sale back to
(inbox.imported_updates), so both always agree."""

from __future__ import annotations

from contacts.models import Contact
from core.clock import local_date
from galleries.schema import GalleryOrder
from inbox.import_window import linkable_url
from inbox.models import InboxItem
from sales.models import Sale
from sales.services import LineInput, PaymentInput, RefundInput, SaleInput
from shoots.models import Shoot


def sale_source(provider: str) -> str:
    return provider if provider in Sale.Source.values else Sale.Source.API


def sale_input(
    item: InboxItem, order: GalleryOrder, *, contact: Contact, shoot: Shoot | None
) -> SaleInput:
    """Every detail of the normalized order as the sale's input."""
    gallery = order.gallery
    codes = [d.code for d in [*order.promotions, *order.discounts] if d.code]
    return SaleInput(
        contact=contact,
        shoot=shoot,
        sale_date=local_date(order.placed_at, item.studio),
        currency=order.currency,
        lines=[
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
        source=sale_source(order.provider),
        external_ref=order.order_number or order.order_id,  # the number the client saw
        prices_include_tax=order.prices_include_tax,
        discount_code=", ".join(dict.fromkeys(codes))[:60],
        order_discount_minor=order.discount_minor,
        shipping_minor=order.shipping_minor,
        shipping_method=order.shipping_method,
        platform_fee_minor=order.fees.platform_fee_minor if order.fees else None,
        lab_cost_minor=order.fees.lab_cost_minor if order.fees else None,
        payment_collected_by=(
            Sale.CollectedBy.PROVIDER
            if order.payment_collected_by == "provider"
            else Sale.CollectedBy.STUDIO
        ),
        gallery_provider=order.provider if gallery else "",
        gallery_id=gallery.id if gallery else "",
        gallery_name=gallery.name if gallery else "",
        gallery_url=linkable_url(gallery.url) if gallery else "",
        notes=f"Imported from {item.source_label} order {order.order_number or order.order_id}.",
        payments=[
            PaymentInput(
                amount_minor=order.amount_paid_minor,
                paid_on=local_date(order.placed_at, item.studio),
                method=_who_collected(item, order),
                reference=order.order_number or order.order_id,
                from_gallery=True,
            )
        ]
        if order.amount_paid_minor > 0
        else [],
        refunds=[
            RefundInput(
                amount_minor=refund.amount_minor,
                refunded_on=local_date(refund.refunded_at, item.studio),
                reason=refund.reason,
                external_ref=refund.id,
            )
            for refund in order.refunds
        ],
        status=Sale.Status.CANCELLED if order.status == "cancelled" else Sale.Status.ACTIVE,
    )


def _who_collected(item: InboxItem, order: GalleryOrder) -> str:
    """The payment method as the studio reads it: the gallery's own checkout, or the
    studio's (a gallery may hand the client to the photographer's own payment account)."""
    if order.payment_collected_by == "provider":
        return f"{item.source_label} checkout"
    return f"Your own checkout (in the {item.source_label} gallery)"
