"""What the "Import Order" window offers: the contact match (with reasons), the shoot to
link (the contact's most recent confirmed shoot, pre-selected), and the order's details
that the chosen contact lacks (offered to be added, never overwritten)."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from contacts.keys import normalize_email, phone_to_e164, postcode_key
from contacts.matching import MATCH, MatchInput, MatchResult, find_matches
from contacts.models import Contact
from galleries.schema import Address, GalleryOrder
from inbox.models import InboxItem
from shoots.models import Shoot
from shoots.selectors import most_recent_confirmed_shoot, shoots_for_contact


@dataclass(frozen=True)
class MissingDetail:
    key: str  # "email", "phone", "billing_address", "shipping_address"
    label: str
    value: str


@dataclass
class ImportPlan:
    item: InboxItem
    order: GalleryOrder
    match: MatchResult
    contact: Contact | None
    offered_shoot: Shoot | None = None
    other_shoots: list[Shoot] = field(default_factory=list)
    missing: list[MissingDetail] = field(default_factory=list)

    @property
    def certain_contact(self) -> Contact | None:
        return self.match.best.contact if self.match.outcome == MATCH and self.match.best else None


def order_of(item: InboxItem) -> GalleryOrder:
    if item.kind != InboxItem.Kind.ORDER or not item.normalized:
        raise ValueError("Only an order that Cyan could read can be imported.")
    return GalleryOrder.model_validate(item.normalized)


def match_order(item: InboxItem, order: GalleryOrder) -> MatchResult:
    return find_matches(studio=item.studio, candidate=MatchInput.from_order(order))


def plan_import(*, item: InboxItem, contact: Contact | None = None) -> ImportPlan:
    """The window for `item`; `contact` is the user's pick, else the certain match."""
    order = order_of(item)
    match = match_order(item, order)
    plan = ImportPlan(item=item, order=order, match=match, contact=None)
    plan.contact = contact or plan.certain_contact
    if plan.contact is not None:
        plan.offered_shoot = offered_shoot(plan.contact, order)
        plan.other_shoots = [
            shoot
            for shoot in shoots_for_contact(studio=item.studio, contact=plan.contact)
            if plan.offered_shoot is None or shoot.pk != plan.offered_shoot.pk
        ]
        plan.missing = missing_details(plan.contact, order)
    return plan


def offered_shoot(contact: Contact, order: GalleryOrder) -> Shoot | None:
    return most_recent_confirmed_shoot(
        studio=contact.studio,
        contact=contact,
        on_or_before=order.placed_at,
        gallery_provider=order.provider if order.gallery else "",
        gallery_id=order.gallery.id if order.gallery else "",
    )


def missing_details(contact: Contact, order: GalleryOrder) -> list[MissingDetail]:
    customer = order.customer
    missing = []
    if customer.email and not _has_email(contact, customer.email):
        missing.append(MissingDetail("email", "New email", customer.email))
    if customer.phone and not _has_phone(contact, customer.phone):
        missing.append(MissingDetail("phone", "New phone", customer.phone))
    for key, label, address in (
        ("billing_address", "New billing address", customer.billing_address),
        ("shipping_address", "New shipping address", customer.shipping_address),
    ):
        if address and address.line1 and not _has_address(contact, address):
            missing.append(MissingDetail(key, label, format_address(address)))
    if (
        len(missing) >= 2
        and missing[-1].key == "shipping_address"
        and missing[-2].key == "billing_address"
        and missing[-1].value == missing[-2].value
    ):
        missing.pop()
    return missing


def _has_email(contact: Contact, raw: str) -> bool:
    try:
        wanted = normalize_email(raw)
    except ValueError:
        return True  # nothing sensible to offer
    return contact.emails.filter(email_normalized=wanted).exists()


def _has_phone(contact: Contact, raw: str) -> bool:
    try:
        wanted = phone_to_e164(raw, contact.studio.country)
    except ValueError:
        return True
    return contact.phones.filter(e164=wanted).exists()


def _has_address(contact: Contact, address: Address) -> bool:
    wanted = (address.line1.strip().casefold(), postcode_key(address.postcode))
    return any(
        (existing.line1.strip().casefold(), existing.postcode_key) == wanted
        for existing in contact.addresses.all()
    )


def format_address(address: Address) -> str:
    parts = [address.line1, address.line2, address.city, address.region, address.postcode]
    return ", ".join(p for p in [*parts, address.country] if p)


def local_date(order: GalleryOrder, time_zone: str):  # type: ignore[no-untyped-def]
    """The order's date on the studio's calendar."""
    return order.placed_at.astimezone(ZoneInfo(time_zone)).date()
