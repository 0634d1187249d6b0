""" "Import Order": an Inbox order becomes a sale linked to the right contact and shoot.

One transaction per import, with the Inbox item locked: importing the same item twice,
or two users at once, gives exactly one sale. The sale's identity is the item (provider,
account, order id) through InboxItem.sale, unique: an import always makes the order's own
sale and never adopts one that merely carries the same reference (a sale made by the API,
or another provider's or account's order with the same id). Un-import deletes the sale
and puts the item back to new.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Studio
from contacts import services as contact_services
from contacts.matching import MATCH
from contacts.models import Contact
from contacts.selectors import get_contact
from galleries.schema import Address, Customer, GalleryOrder
from inbox import services as inbox_services
from inbox.import_window import linkable_url, local_date, match_order, offered_shoot, order_of
from inbox.imported_updates import update_imported_sale
from inbox.models import InboxItem
from invoicing import services as invoicing
from sales.models import Sale
from sales.services import (
    LineInput,
    PaymentInput,
    RefundInput,
    SaleInput,
    create_sale,
    delete_sale,
)
from shoots.models import Shoot
from shoots.selectors import get_shoot

logger = logging.getLogger(__name__)

ShootChoice = Literal["most_recent_confirmed", "none"] | int
DETAIL_KEYS = ("email", "phone", "billing_address", "shipping_address")


@dataclass
class BulkResult:
    imported: list[tuple[InboxItem, Sale]] = field(default_factory=list)
    left: list[tuple[InboxItem, str]] = field(default_factory=list)


def import_item(
    *,
    item: InboxItem,
    contact_id: int | None = None,
    create_contact: bool = False,
    shoot: ShootChoice = "most_recent_confirmed",
    add_details: Sequence[str] = (),
    use_match: bool = True,
) -> Sale:
    """Create the sale for `item`: the chosen contact, else the certain match (unless the
    user said "none of these": `use_match=False`), else a new contact when
    `create_contact`; the shoot chosen, the most recent confirmed one, or none."""
    with transaction.atomic():
        locked = InboxItem.objects.select_for_update().select_related("studio").get(pk=item.pk)
        if locked.state == InboxItem.State.IMPORTED and locked.sale_id:
            return locked.sale  # already done (a second click, or another user first)
        if locked.state == InboxItem.State.DISMISSED:
            raise ValidationError({"item": "This order was dismissed; restore it to import it."})
        try:
            order = order_of(locked)
        except ValueError as exc:
            raise ValidationError({"item": str(exc)}) from exc
        left_off: list[str] = []
        contact = _choose_contact(locked, order, contact_id, create_contact, use_match, left_off)
        _add_missing_details(contact, order, add_details, left_off)
        data = sale_input(
            locked, order, contact=contact, shoot=_choose_shoot(locked, order, contact, shoot)
        )
        if left_off:
            data = data.but(notes=f"{data.notes} Not copied to the contact: {'; '.join(left_off)}.")
        sale = create_sale(studio=locked.studio, data=data, imported=True)
        # Invoicing: an order the gallery already collected is invoiced on import
        # (studio preference, default on), in this same transaction.
        invoicing.invoice_if_collected(sale=sale)
        locked.state = InboxItem.State.IMPORTED
        locked.sale = sale
        locked.save(update_fields=["state", "sale", "updated_at"])
    item.refresh_from_db()
    return sale


def _choose_contact(
    item: InboxItem,
    order: GalleryOrder,
    contact_id: int | None,
    create: bool,
    use_match: bool,
    left_off: list[str],
) -> Contact:
    if contact_id is not None:
        try:
            return get_contact(studio=item.studio, pk=contact_id)
        except Contact.DoesNotExist as exc:
            raise ValidationError({"contact_id": "No such contact in this studio."}) from exc
    match = match_order(item, order)
    if use_match and match.outcome == MATCH and match.best is not None:
        return match.best.contact
    if create:
        return _new_contact(item.studio, order, left_off)
    reason = "possible matches need a choice" if match.candidates else "no contact matches"
    raise ValidationError(
        {"contact_id": f"Choose a contact ({reason}), or tick 'Create a new contact'."}
    )


# A new contact's detail lists, and what to call one in "Not copied to the contact: …".
DETAIL_LISTS = {"emails": "email", "phones": "phone", "addresses": "address"}


def _new_contact(studio: Studio, order: GalleryOrder, left_off: list[str]) -> Contact:
    """The order's client as a new contact. A detail the contact can't hold (an email
    that isn't one, a phone Cyan can't read) is left off and named in `left_off`: the
    Inbox accepted the order, so the import must not refuse it over a detail."""
    customer = order.customer
    addresses = [a for a in (customer.billing_address, customer.shipping_address) if a]
    unique = [a for i, a in enumerate(addresses) if a not in addresses[:i]]
    source = order.provider if order.provider in Contact.Source.values else Contact.Source.API
    fields = {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "source": source,
        "emails": [customer.email] if customer.email else [],
        "phones": [customer.phone] if customer.phone else [],
        "addresses": [_address_fields(a) for a in unique],
    }
    while True:
        try:
            with transaction.atomic():
                return contact_services.create_contact(studio=studio, **fields)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            bad = [key for key in DETAIL_LISTS if errors.get(key) and fields[key]]
            if not bad:
                raise
            for key in bad:
                left_off.append(f"{DETAIL_LISTS[key]} ({' '.join(errors[key])})")
                fields[key] = []


def _address_fields(address: Address) -> dict[str, str]:
    return address.model_dump()


def _add_missing_details(
    contact: Contact, order: GalleryOrder, keys: Sequence[str], left_off: list[str]
) -> None:
    customer = order.customer
    for key in keys:
        try:
            with transaction.atomic():
                _add_detail(contact, customer, key)
        except ValidationError as exc:
            left_off.append(f"{key.replace('_', ' ')} ({' '.join(exc.messages)})")


def _add_detail(contact: Contact, customer: Customer, key: str) -> None:
    if key == "email" and customer.email:
        contact_services.add_email(contact=contact, email=customer.email)
    elif key == "phone" and customer.phone:
        contact_services.add_phone(contact=contact, number=customer.phone)
    elif key in ("billing_address", "shipping_address"):
        address = getattr(customer, key)
        if address is not None:
            contact_services.add_address(contact=contact, address=_address_fields(address))


def _choose_shoot(
    item: InboxItem, order: GalleryOrder, contact: Contact, choice: ShootChoice
) -> Shoot | None:
    if choice == "none":
        return None
    if choice == "most_recent_confirmed":
        return offered_shoot(contact, order)
    try:
        chosen = get_shoot(studio=item.studio, pk=int(choice))
    except (Shoot.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError({"shoot": "No such shoot in this studio."}) from exc
    refuse_other_contacts_shoot(chosen, contact)
    return chosen


def refuse_other_contacts_shoot(shoot: Shoot, contact: Contact) -> None:
    """A sale sits only on a shoot of its own contact: a stale window or a wrong API call
    must not put a (new) contact's sale on someone else's shoot."""
    if not shoot.shoot_contacts.filter(contact=contact).exists():
        raise ValidationError(
            {
                "shoot": f"{shoot.title} is not a shoot of {contact.display_name}: "
                "choose one of their shoots, or don't link to a shoot."
            }
        )


def sale_source(provider: str) -> str:
    return provider if provider in Sale.Source.values else Sale.Source.API


def sale_input(
    item: InboxItem, order: GalleryOrder, *, contact: Contact, shoot: Shoot | None
) -> SaleInput:
    """The one place a gallery order becomes a sale: every detail of the normalized order
    (the import makes the sale from it; a later version of the order is compared with it)."""
    gallery = order.gallery
    codes = [d.code for d in [*order.promotions, *order.discounts] if d.code]
    return SaleInput(
        contact=contact,
        shoot=shoot,
        sale_date=local_date(order, item.studio.time_zone),
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
        external_ref=order.order_id,
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
        notes=f"Imported from {item.source} order {order.order_number or order.order_id}.",
        payments=[
            PaymentInput(
                amount_minor=order.amount_paid_minor,
                paid_on=local_date(order, item.studio.time_zone),
                method=f"{item.source} checkout",
                reference=order.order_number or order.order_id,
            )
        ]
        if order.amount_paid_minor > 0
        else [],
        refunds=[
            RefundInput(
                amount_minor=refund.amount_minor,
                refunded_on=refund.refunded_at.date(),
                reason=refund.reason,
                external_ref=refund.id,
            )
            for refund in order.refunds
        ],
        status=Sale.Status.CANCELLED if order.status == "cancelled" else Sale.Status.ACTIVE,
    )


@transaction.atomic
def unimport_item(*, item: InboxItem) -> None:
    """Undo an import made by mistake: delete its sale, put the item back to new."""
    locked = InboxItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != InboxItem.State.IMPORTED:
        raise ValidationError({"item": "This order is not imported."})
    if locked.sale_id:
        sale = Sale.objects.get(pk=locked.sale_id)
        invoicing.release_sale(sale=sale)  # an auto-invoice is credited, never deleted
        delete_sale(sale=sale)
    locked.state = InboxItem.State.NEW
    locked.sale = None
    locked.save(update_fields=["state", "sale", "updated_at"])
    item.refresh_from_db()


def import_if_certain(*, item: InboxItem) -> Sale | None:
    """Import when the contact match is certain; otherwise leave the item for review."""
    try:
        order = order_of(item)
    except ValueError:
        return None
    if item.state != InboxItem.State.NEW or match_order(item, order).outcome != MATCH:
        return None
    return import_item(item=item)


def bulk_import(*, studio: Studio, item_ids: Sequence[int]) -> BulkResult:
    """Import every selected item with a certain match; say why each other one was left."""
    result = BulkResult()
    items = InboxItem.objects.filter(studio=studio, pk__in=item_ids).order_by("pk")
    for item in items:
        reason = _why_not_bulk(item)
        if reason:
            result.left.append((item, reason))
            continue
        try:
            result.imported.append((item, import_item(item=item)))
        except ValidationError as exc:
            result.left.append((item, "; ".join(exc.messages)))
    return result


def _why_not_bulk(item: InboxItem) -> str:
    if item.state != InboxItem.State.NEW:
        return f"it is {item.get_state_display().lower()}"
    try:
        order = order_of(item)
    except ValueError as exc:
        return str(exc)
    match = match_order(item, order)
    if match.outcome == MATCH:
        return ""
    if match.candidates:
        return f"{len(match.candidates)} possible contacts: choose one in the import window"
    return "no matching contact: import it and create a new contact"


def auto_import_when_enabled(item: InboxItem) -> None:
    """The studio's "auto-import certain matches" preference, run after the item commits."""
    if item.studio.auto_import_certain_matches:
        from inbox.tasks import auto_import_task

        transaction.on_commit(lambda: auto_import_task.enqueue(item.pk))


inbox_services.imported_order_updated.append(update_imported_sale)
inbox_services.new_order_received.append(auto_import_when_enabled)
