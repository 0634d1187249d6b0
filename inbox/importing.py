""" "Import Order": an Inbox order becomes a sale linked to the right contact and shoot.

One transaction per import, with the Inbox item locked: importing the same item twice,
or two users at once, gives exactly one sale. The sale's identity is the item (provider,
account, order id) through InboxItem.sale, unique: an import always makes the order's own
sale and never adopts one that merely carries the same reference (a sale made by the API,
or another provider's or account's order with the same id). Un-import deletes the sale
and puts the item back to new, unless the sale holds money recorded in Cyan.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Studio
from contacts import services as contact_services
from contacts.matching import MATCH
from contacts.models import Contact
from contacts.selectors import get_contact
from core import metrics
from core.money import format_money
from core.providers import Provider
from galleries.schema import Address, Customer, GalleryOrder
from inbox.import_window import linkable_url, match_order, offered_shoot
from inbox.models import InboxItem
from inbox.sale_fields import sale_input
from invoicing import services as invoicing
from sales.models import Sale
from sales.services import create_sale, delete_sale
from shoots.models import Shoot
from shoots.selectors import get_shoot
from shoots.services import update_shoot

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
        _keep_parsed_order(locked, item)
        try:
            order = locked.order
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
        _remember_the_gallery(sale.shoot, order)
        locked.state = InboxItem.State.IMPORTED
        locked.sale = sale
        locked.save(update_fields=["state", "sale", "updated_at"])
    metrics.order_imported(locked.source)
    item.refresh_from_db()
    return sale


def _remember_the_gallery(shoot: Shoot | None, order: GalleryOrder) -> None:
    """The shoot a gallery's order went to is that gallery's shoot: a shoot with no gallery
    yet records it, so the next order from it offers this shoot by itself. Never taken
    from another shoot (one shoot per gallery), never for a source Cyan does not link."""
    gallery = order.gallery
    if shoot is None or gallery is None or shoot.gallery_id or shoot.gallery_url:
        return
    if order.provider not in Provider.values:
        return
    try:
        with transaction.atomic():  # a refusal must not spoil the import around it
            update_shoot(
                shoot=shoot,
                gallery_provider=order.provider,
                gallery_id=gallery.id,
                gallery_url=linkable_url(gallery.url),
            )
    except (ValidationError, IntegrityError):
        logger.info("Shoot %s keeps no gallery: %s is another shoot's", shoot.pk, gallery.id)


def _keep_parsed_order(locked: InboxItem, item: InboxItem) -> None:
    """The locked row holds the version `item` was read with (the usual case): reuse the
    order already parsed from it instead of parsing it again."""
    parsed = item.__dict__.get("order")
    if parsed is not None and locked.provider_updated_at == item.provider_updated_at:
        locked.order = parsed


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
    metrics.contact_matched(match.outcome)
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


@transaction.atomic
def unimport_item(*, item: InboxItem) -> None:
    """Undo an import made by mistake: delete its sale, put the item back to new. Refused
    while the sale holds money recorded in Cyan (a payment or refund the studio entered):
    deleting the sale would take it too, without a trace."""
    locked = InboxItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != InboxItem.State.IMPORTED:
        raise ValidationError({"item": "This order is not imported."})
    if locked.sale_id:
        sale = Sale.objects.select_for_update().get(pk=locked.sale_id)
        recorded = money_recorded_in_cyan(sale)
        if recorded:
            raise ValidationError(
                {
                    "item": "Un-importing deletes the sale, and with it money recorded in "
                    f"Cyan: {'; '.join(recorded)}. Move or delete that first (the sale's "
                    "history notes it), or keep the sale."
                }
            )
        invoicing.release_sale(sale=sale)  # an auto-invoice is credited, never deleted
        delete_sale(sale=sale)
    locked.state = InboxItem.State.NEW
    locked.sale = None
    locked.save(update_fields=["state", "sale", "updated_at"])
    item.refresh_from_db()


def money_recorded_in_cyan(sale: Sale) -> list[str]:
    """The sale's payments and refunds that did not come from the gallery, in words."""
    found = [
        f"payment {format_money(p.amount_minor, sale.currency)} on {p.paid_on:%Y-%m-%d}"
        + (f" ({p.method})" if p.method else "")
        for p in sale.payments.filter(from_gallery=False)
    ]
    found += [
        f"refund {format_money(r.amount_minor, sale.currency)} on {r.refunded_on:%Y-%m-%d}"
        + (f" ({r.reason})" if r.reason else "")
        for r in sale.refunds.filter(external_ref="")
    ]
    return found


def import_if_certain(*, item: InboxItem) -> Sale | None:
    """Import when the contact match is certain; otherwise leave the item for review."""
    if item.state != InboxItem.State.NEW:
        return None
    contact = _certain_contact(item)
    return import_item(item=item, contact_id=contact.pk) if contact is not None else None


def _certain_contact(item: InboxItem) -> Contact | None:
    """The contact the order's client certainly is, else None. The import is then told
    this contact, so an import matches once, not once here and again inside it."""
    try:
        match = match_order(item, item.order)
    except ValueError:
        return None
    metrics.contact_matched(match.outcome)
    return match.best.contact if match.outcome == MATCH and match.best is not None else None


def bulk_import(*, studio: Studio, item_ids: Sequence[int]) -> BulkResult:
    """Import every selected item with a certain match; say why each other one was left."""
    result = BulkResult()
    items = InboxItem.objects.filter(studio=studio, pk__in=item_ids).order_by("pk")
    for item in items:
        reason, contact = _why_not_bulk(item)
        if contact is None:
            result.left.append((item, reason))
            continue
        try:
            result.imported.append((item, import_item(item=item, contact_id=contact.pk)))
        except ValidationError as exc:
            result.left.append((item, "; ".join(exc.messages)))
    return result


def _why_not_bulk(item: InboxItem) -> tuple[str, Contact | None]:
    """The certain contact to import onto, or why the item is left (contact None)."""
    if item.state != InboxItem.State.NEW:
        return f"it is {item.get_state_display().lower()}", None
    try:
        match = match_order(item, item.order)
    except ValueError as exc:
        return str(exc), None
    metrics.contact_matched(match.outcome)
    if match.outcome == MATCH and match.best is not None:
        return "", match.best.contact
    if match.candidates:
        return f"{len(match.candidates)} possible contacts: choose one in the import window", None
    return "no matching contact: import it and create a new contact", None
