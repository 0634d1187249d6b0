"""A later version of an order that is already a sale: the sale follows the gallery.

Refunds are added, a cancellation cancels, and a change to what was bought or paid
(lines, discounts, shipping, tax, fees, the amount paid) brings the sale's figures to the
latest version — the same figures an import of that version would give — and says so in
the item's history. What cannot be applied safely (another currency, a payment taken
back without a refund, a cancelled sale whose lines changed) is left as it is and flags
the item, so a sale never silently disagrees with its order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from core.clock import local_date
from core.money import format_money
from galleries.schema import GalleryOrder
from inbox.models import InboxItem
from inbox.sale_fields import sale_input  # the import's own mapping, so both agree
from invoicing import services as invoicing
from sales.models import Sale, SaleLine
from sales.payments import DELETED_REFUND
from sales.services import (
    LineInput,
    SaleInput,
    add_payment,
    add_refund,
    cancel_sale,
    update_sale,
)

# The sale's order-level figures that an import takes from the order.
FIGURE_FIELDS = (
    "prices_include_tax",
    "order_discount_minor",
    "shipping_minor",
    "platform_fee_minor",
    "lab_cost_minor",
)


def update_imported_sale(
    item: InboxItem, order: GalleryOrder, previous: GalleryOrder | None
) -> str:
    """Apply a later version of an imported order to its sale; returns what changed, for
    the item's history. Runs inside the receiving transaction."""
    sale = Sale.objects.filter(pk=item.sale_id).first()
    if sale is None:
        return "the sale was deleted, nothing updated"
    wanted = sale_input(item, order, contact=sale.contact, shoot=sale.shoot)
    changes: list[str] = []
    problems: list[str] = []
    # The order's amounts are minor units of its currency: in another one, none of them
    # (refunds, payments, figures) may be written to the sale; a cancellation moves no money.
    same_currency = sale.currency == order.currency
    if not same_currency:
        problems.append(
            f"the currency changed at the gallery ({sale.currency} → {order.currency}); "
            "un-import and import the order again to re-make the sale"
        )
    else:
        _attempt(problems, "a refund", lambda: changes.extend(_add_new_refunds(sale, item, order)))
        was = (
            sale_input(item, previous, contact=sale.contact, shoot=sale.shoot) if previous else None
        )
        _follow_figures(sale, wanted, was, changes, problems)
    if order.status == "cancelled" and sale.status != Sale.Status.CANCELLED:
        _attempt(problems, "the cancellation", lambda: changes.append(_cancel(sale, item)))
    elif same_currency and sale.status != Sale.Status.CANCELLED:  # cancelled: no payments
        _attempt(
            problems,
            "a payment",
            lambda: changes.extend(_follow_payments(sale, item, order, previous)),
        )
    _attempt(problems, "the invoice", lambda: changes.extend(_follow_invoice(sale)))
    if not problems:
        sale.refresh_from_db()
        problems = _differences(sale, order)
    _flag(item, problems)
    summary = "sale " + (", ".join(changes) if changes else "unchanged")
    return summary + ("; needs review: " + "; ".join(problems) if problems else "")


def _follow_figures(
    sale: Sale,
    wanted: SaleInput,
    was: SaleInput | None,
    changes: list[str],
    problems: list[str],
) -> None:
    """The sale's lines and figures follow the order's while they are the version's they
    followed. A sale that matches neither the held version nor the new one was edited in
    Cyan (or kept behind by a change it refused): a version that changes nothing of what
    was bought leaves it alone (_differences still names what sets it apart), and one
    that does is named, never written over the studio's edits."""
    figures = _figures(sale)
    if figures == _wanted_figures(wanted):
        return
    held = _wanted_figures(was) if was is not None else None
    if held is not None and figures != held:
        if held != _wanted_figures(wanted):
            problems.append(
                "what was bought changed at the gallery, but the sale was edited in Cyan "
                "(or kept an earlier change out): its lines were left as they are; "
                "un-import and import the order again to take the gallery's"
            )
        return
    if sale.status == Sale.Status.CANCELLED:
        problems.append("what was bought changed, but the sale is cancelled")
    else:
        _attempt(problems, "the new figures", lambda: changes.append(_refigure(sale, wanted)))


def _attempt(problems: list[str], what: str, apply: Callable[[], object]) -> None:
    """Apply one change in a savepoint; a change the sale refuses becomes a named problem
    rather than an error that would make the whole delivery fail and the version be lost."""
    try:
        with transaction.atomic():
            apply()
    except ValidationError as exc:
        problems.append(f"{what} could not be applied ({' '.join(exc.messages)})")


def _refigure(sale: Sale, wanted: SaleInput) -> str:
    before = sale.total_minor
    figures = {f: getattr(wanted, f) for f in FIGURE_FIELDS}
    update_sale(sale=sale, lines=list(wanted.lines), **figures)
    sale.refresh_from_db()
    return (
        "figures updated to the gallery's: total "
        f"{format_money(before, sale.currency)} → {format_money(sale.total_minor, sale.currency)}"
    )


def _follow_invoice(sale: Sale) -> list[str]:
    """Invoicing follows the sale: credit notes for refunds, a change or a cancellation
    of an invoiced order; an order paid in full since import is invoiced now."""
    sale.refresh_from_db()
    notes = invoicing.follow_sale(sale=sale)
    sale.refresh_from_db()
    invoicing.invoice_if_collected(sale=sale)
    return [f"credit note {note.number} issued" for note in notes]


def _cancel(sale: Sale, item: InboxItem) -> str:
    cancel_sale(sale=sale, reason=f"Cancelled at {item.source}.")
    return "sale cancelled"


def _add_new_refunds(sale: Sale, item: InboxItem, order: GalleryOrder) -> list[str]:
    """The order's refunds the sale does not hold yet, except one the studio deleted
    (sales.payments.delete_refund leaves its id in the sale's history): deleted stays
    deleted, whatever later versions list."""
    deleted = set(
        sale.audit_lines.filter(external_ref__startswith=DELETED_REFUND).values_list(
            "external_ref", flat=True
        )
    )
    added = []
    for refund in order.refunds:
        if f"{DELETED_REFUND}{refund.id}" in deleted:
            continue
        if not sale.refunds.filter(external_ref=refund.id).exists():
            add_refund(
                sale=sale,
                amount_minor=refund.amount_minor,
                refunded_on=local_date(refund.refunded_at, item.studio),
                reason=refund.reason,
                external_ref=refund.id,
            )
            added.append(f"refund {format_money(refund.amount_minor, sale.currency)} added")
    return added


def _follow_payments(
    sale: Sale, item: InboxItem, order: GalleryOrder, previous: GalleryOrder | None
) -> list[str]:
    """A payment taken at the gallery since the version held before is added; one taken
    back without a refund is left for the studio (_differences names it). Only what the
    gallery newly took: a gallery payment the studio deleted or lowered stays as the
    studio left it (a later version of the same payment is not a new one), and never
    more than the order says is paid in all."""
    sale.refresh_from_db()
    missing = order.amount_paid_minor - sale.paid_minor
    if previous is not None:
        missing = min(missing, order.amount_paid_minor - previous.amount_paid_minor)
    if missing > 0:
        add_payment(
            sale=sale,
            amount_minor=missing,
            paid_on=local_date(order.updated_at, item.studio),
            method=f"{item.source} checkout",
            reference=order.order_number or order.order_id,
            from_gallery=True,
        )
        return [f"payment {format_money(missing, sale.currency)} added"]
    return []


def _differences(sale: Sale, order: GalleryOrder) -> list[str]:
    """What still sets the sale apart from the order after everything that applies safely
    (a refund taken back, an order re-opened after its cancellation, …): named, so the
    studio decides."""

    def money(minor: int) -> str:
        return format_money(minor, sale.currency)

    found = []
    if (order.status == "cancelled") != (sale.status == Sale.Status.CANCELLED):
        found.append(f"the order is {order.status} at the gallery, the sale {sale.status}")
    for label, theirs, ours in (
        ("total", order.total_minor, sale.total_minor),
        ("paid", order.amount_paid_minor, sale.paid_minor),
        ("refunded", order.refunded_minor, sale.refunded_minor),
    ):
        if theirs != ours:
            found.append(f"{label} {money(theirs)} at the gallery, {money(ours)} on the sale")
    return found


def _line_keys(lines: Iterable[SaleLine | LineInput]) -> tuple:
    """What an order's line decides about the money, in a comparable form."""
    return tuple(
        sorted(
            (
                line.external_ref,
                line.quantity,
                line.unit_price_minor,
                line.discount_minor,
                line.tax_minor,
            )
            for line in lines
        )
    )


def _figures(sale: Sale) -> tuple:
    return (_line_keys(sale.lines.all()), *(getattr(sale, f) for f in FIGURE_FIELDS))


def _wanted_figures(wanted: SaleInput) -> tuple:
    return (_line_keys(wanted.lines), *(getattr(wanted, f) for f in FIGURE_FIELDS))


def _flag(item: InboxItem, problems: list[str]) -> None:
    """An imported item whose sale could not follow the gallery keeps the reason in its
    error, shown on the Inbox; a version that applies cleanly clears it."""
    reason = ("Changed at the gallery after import: " + "; ".join(problems)) if problems else ""
    if item.error != reason:
        item.error = reason
        item.save(update_fields=["error", "updated_at"])
