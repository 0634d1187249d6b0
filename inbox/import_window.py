"""What the "Import Order" window offers, and the API's match preview says: the contact
match (with reasons and what tells namesakes apart), the shoot to link (the chosen
contact's most recent confirmed shoot, pre-selected), and the order's details that the
chosen contact lacks (offered to be added, never overwritten). Every part follows the
current choice: with "none of these" there is no contact, so no shoot and no details."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from accounts.models import Studio
from contacts.keys import normalize_email, phone_to_e164, postcode_key
from contacts.matching import MATCH, NONE, POSSIBLE, MatchInput, MatchResult, find_matches
from contacts.models import Contact
from contacts.selectors import contact_list
from galleries.schema import Address, GalleryOrder
from inbox.contact_summaries import ContactSummary, contact_summaries
from inbox.models import InboxItem
from sales.models import Sale
from shoots.models import Shoot
from shoots.selectors import most_recent_confirmed_shoot, shoots_for_contact

# The match outcomes as the window and the API name them.
OUTCOMES = {MATCH: "certain", POSSIBLE: "possible", NONE: "none"}
SEARCH_RESULTS = 10
HTTP_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class MissingDetail:
    key: str  # "email", "phone", "billing_address", "shipping_address"
    label: str
    value: str


@dataclass(frozen=True)
class Choice:
    """A contact the sale could go to, with what tells it apart from its namesakes and,
    when the matcher offered it, why (in words: scores are not shown)."""

    summary: ContactSummary
    offered_by: str  # "match", "search" or "chosen" (the user's pick, found elsewhere)
    reasons: tuple[str, ...] = ()
    warning: str = ""
    certain: bool = False

    @property
    def contact(self) -> Contact:
        return self.summary.contact


@dataclass
class ImportPlan:
    """The match preview: what the window shows and `GET /api/v1/inbox/{id}/match` says."""

    item: InboxItem
    order: GalleryOrder
    match: MatchResult
    contact: Contact | None  # where the sale goes: the user's pick, else the certain match
    none_chosen: bool = False  # the user said "none of these"
    choices: list[Choice] = field(default_factory=list)
    offered_shoot: Shoot | None = None
    other_shoots: list[Shoot] = field(default_factory=list)
    missing: list[MissingDetail] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        return OUTCOMES.get(self.match.outcome, self.match.outcome)

    @property
    def certain_contact(self) -> Contact | None:
        return self.match.best.contact if self.match.outcome == MATCH and self.match.best else None

    @property
    def follows_match(self) -> bool:
        """The sale goes to the certain match (the user has not picked otherwise)."""
        certain = self.certain_contact
        return certain is not None and self.contact is not None and self.contact.pk == certain.pk

    @property
    def matched(self) -> list[Choice]:
        return [c for c in self.choices if c.offered_by == "match"]

    @property
    def found(self) -> list[Choice]:
        return [c for c in self.choices if c.offered_by == "search"]

    @property
    def extra_chosen(self) -> Choice | None:
        return next((c for c in self.choices if c.offered_by == "chosen"), None)


def match_order(item: InboxItem, order: GalleryOrder) -> MatchResult:
    return find_matches(studio=item.studio, candidate=match_input(order))


def match_input(order: GalleryOrder) -> MatchInput:
    """The customer of a normalized gallery order, as contact matching takes it (billing
    address, else shipping; the gallery, so the shoot with that gallery points at them)."""
    customer = order.customer
    address = customer.billing_address or customer.shipping_address
    gallery = order.gallery
    return MatchInput(
        first_name=customer.first_name,
        last_name=customer.last_name,
        email=customer.email,
        phone=customer.phone,
        postcode=address.postcode if address else "",
        address_line1=address.line1 if address else "",
        town=address.city if address else "",
        gallery_provider=order.provider if gallery else "",
        gallery_id=gallery.id if gallery else "",
        gallery_url=gallery.url if gallery else "",
    )


def plan_import(
    *,
    item: InboxItem,
    contact: Contact | None = None,
    none_chosen: bool = False,
    query: str = "",
) -> ImportPlan:
    """The match preview of `item`: the candidates (and the contacts found by `query`),
    where the sale would go (`contact`, the user's pick; nobody when `none_chosen`; else
    the certain match), the shoot offered and the details that contact lacks.
    ValueError when the item is not an order Cyan could read."""
    order = item.order
    match = match_order(item, order)
    plan = ImportPlan(item=item, order=order, match=match, contact=None, none_chosen=none_chosen)
    if not none_chosen:
        plan.contact = contact or plan.certain_contact
    plan.choices = _choices(item.studio, match, plan.contact, query)
    if plan.contact is not None:
        plan.offered_shoot = offered_shoot(plan.contact, order)
        plan.other_shoots = [
            shoot
            for shoot in shoots_for_contact(studio=item.studio, contact=plan.contact)
            if plan.offered_shoot is None or shoot.pk != plan.offered_shoot.pk
        ]
        plan.missing = missing_details(plan.contact, order)
    return plan


def _choices(
    studio: Studio, match: MatchResult, chosen: Contact | None, query: str
) -> list[Choice]:
    listed = {candidate.contact.pk for candidate in match.candidates}
    found = [
        contact
        for contact in (
            contact_list(studio=studio, query=query)[:SEARCH_RESULTS] if query.strip() else []
        )
        if contact.pk not in listed
    ]
    listed |= {contact.pk for contact in found}
    extra = [chosen] if chosen is not None and chosen.pk not in listed else []
    summaries = contact_summaries(
        studio=studio, contacts=[c.contact for c in match.candidates] + found + extra
    )
    return [
        *(
            Choice(
                summaries[c.contact.pk],
                "match",
                reasons=tuple(c.reasons),
                warning=c.warning,
                certain=c.certain,
            )
            for c in match.candidates
        ),
        *(Choice(summaries[contact.pk], "search") for contact in found),
        *(Choice(summaries[contact.pk], "chosen") for contact in extra),
    ]


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


def linkable_url(url: str) -> str:
    """`url` when it is an http(s) URL that a sale can store and show as a link, else "".
    An order with another kind of gallery URL (javascript:, ftp:, a bare host) still
    imports: its Inbox item keeps the URL as sent, in the order and the raw payload."""
    try:
        HTTP_URL(url)
    except ValidationError:
        return ""
    return url if len(url) <= Sale._meta.get_field("gallery_url").max_length else ""
