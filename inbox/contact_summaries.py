"""What tells two contacts of one name apart, for whoever picks the client of an order:
their email, phone, town and postcode, latest shoot and latest sale.

Read for every contact offered at once, in a fixed number of queries (whatever the number
of candidates): the contacts with their emails, phones and addresses, then their latest
shoots, then their latest sales.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Subquery

from accounts.models import Studio
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
from sales.models import Sale
from shoots.models import Shoot
from shoots.selectors import NEWEST_FIRST

NEWEST_SALE_FIRST = ("-sale_date", "-id")


@dataclass(frozen=True)
class ContactSummary:
    contact: Contact
    email: str
    phone: str
    town: str
    postcode: str
    last_shoot: Shoot | None
    last_sale: Sale | None


def contact_summaries(*, studio: Studio, contacts: Iterable[Contact]) -> dict[int, ContactSummary]:
    """A summary of each of the studio's `contacts`, by contact id."""
    pks = {contact.pk for contact in contacts}
    if not pks:
        return {}
    rows = list(_with_latest(studio, pks))
    shoots = Shoot.objects.for_studio(studio).in_bulk(
        [row.last_shoot_id for row in rows if row.last_shoot_id]
    )
    sales = Sale.objects.for_studio(studio).in_bulk(
        [row.last_sale_id for row in rows if row.last_sale_id]
    )
    return {
        row.pk: _summary(row, shoots.get(row.last_shoot_id), sales.get(row.last_sale_id))
        for row in rows
    }


def _with_latest(studio: Studio, pks: set[int]):  # type: ignore[no-untyped-def]
    latest_shoot = (
        Shoot.objects.for_studio(studio)
        .filter(shoot_contacts__contact=OuterRef("pk"))
        .order_by(*NEWEST_FIRST)
        .values("pk")[:1]
    )
    latest_sale = (
        Sale.objects.for_studio(studio)
        .filter(contact=OuterRef("pk"))
        .order_by(*NEWEST_SALE_FIRST)
        .values("pk")[:1]
    )
    return (
        Contact.objects.for_studio(studio)
        .filter(pk__in=pks)
        .annotate(last_shoot_id=Subquery(latest_shoot), last_sale_id=Subquery(latest_sale))
        .prefetch_related(
            Prefetch("emails", ContactEmail.objects.order_by("-is_primary", "id")),
            Prefetch("phones", ContactPhone.objects.order_by("-is_primary", "id")),
            Prefetch("addresses", ContactAddress.objects.order_by("id")),
        )
    )


def _summary(contact: Contact, last_shoot: Shoot | None, last_sale: Sale | None) -> ContactSummary:
    emails, phones = list(contact.emails.all()), list(contact.phones.all())
    place = next((a for a in contact.addresses.all() if a.city or a.postcode), None)
    return ContactSummary(
        contact=contact,
        email=emails[0].email if emails else "",
        phone=phones[0].raw if phones else "",
        town=place.city if place else "",
        postcode=place.postcode if place else "",
        last_shoot=last_shoot,
        last_sale=last_sale,
    )
