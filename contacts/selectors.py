"""Every read of contacts that is more than a .get, always scoped by studio.

Searching compares the query, normalized the way contacts.keys normalized the stored
values, with the stored key columns (name_key, email_normalized, e164) inside the
database: nothing is filtered in Python.
"""

from __future__ import annotations

import contextlib
import re

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import Studio
from contacts import keys
from contacts.models import Contact, ContactEmail, ContactPhone

# A query made only of these characters is (also) searched as a phone number.
PHONE_LIKE = re.compile(r"^[\d\s+().\-/]+$")
# Fewer digits than this would match almost every phone number.
MIN_PHONE_DIGITS = 4


def contact_list(*, studio: Studio, query: str = "") -> QuerySet[Contact]:
    """The studio's contacts (by surname), narrowed by `query` when given: every word in
    the name or company, or the email, or the phone number (digits or E.164)."""
    contacts = Contact.objects.for_studio(studio)
    query = " ".join((query or "").split())
    if not query:
        return contacts
    return contacts.filter(
        _name_matches(query) | _email_matches(studio, query) | _phone_matches(studio, query)
    )


def _name_matches(query: str) -> Q:
    """Each word must be in the name (accents, case and script folded) or the company."""
    condition = Q()
    for word in query.split():
        # Folding may turn one word into several ('山田' → 'shan tian'), as it did when
        # the name_key was stored, so the folded word is looked for as it is.
        condition &= Q(name_key__contains=keys.name_key(word, "")) | Q(company__icontains=word)
    return condition


def _email_matches(studio: Studio, query: str) -> Q:
    emails = ContactEmail.objects.filter(studio=studio, contact=OuterRef("pk"))
    if "@" in query:
        try:
            # A whole address: an equality on the indexed, normalized column.
            return Q(Exists(emails.filter(email_normalized=keys.normalize_email(query))))
        except ValueError:
            pass
    return Q(Exists(emails.filter(email_normalized__contains=query.casefold())))


def _phone_matches(studio: Studio, query: str) -> Q:
    digits = re.sub(r"\D", "", query)
    if not PHONE_LIKE.match(query) or len(digits) < MIN_PHONE_DIGITS:
        return Q(pk__in=[])
    phones = ContactPhone.objects.filter(studio=studio, contact=OuterRef("pk"))
    # Part of a number: its digits inside the E.164 form or inside the number as typed.
    condition = Q(e164__contains=digits) | Q(raw__contains=query)
    with contextlib.suppress(ValueError):
        # A whole number in any format: an equality on the indexed E.164 column.
        condition |= Q(e164=keys.phone_to_e164(query, studio.country))
    return Q(Exists(phones.filter(condition)))


def contact_table(*, studio: Studio, query: str = "") -> QuerySet[Contact]:
    """contact_list with what the list page shows: primary email and phone, and tags."""
    primary_email = ContactEmail.objects.filter(contact=OuterRef("pk")).order_by(
        "-is_primary", "id"
    )
    primary_phone = ContactPhone.objects.filter(contact=OuterRef("pk")).order_by(
        "-is_primary", "id"
    )
    return (
        contact_list(studio=studio, query=query)
        .annotate(
            primary_email=Subquery(primary_email.values("email")[:1]),
            primary_phone=Subquery(primary_phone.values("raw")[:1]),
        )
        .prefetch_related("tags")
    )


def get_contact(*, studio: Studio, pk: int) -> Contact:
    """The studio's contact `pk`; Contact.DoesNotExist when it is another studio's."""
    return Contact.objects.for_studio(studio).get(pk=pk)


def contact_detail(*, studio: Studio, pk: int) -> Contact:
    """The contact with everything its page shows, in a fixed number of queries.

    `contact.shoot_rows`: its links to shoots (with the shoot), newest shoot first.
    `contact.sale_rows`: its sales, newest first.
    The shoots and sales models are reached through the reverse relations, so that
    contacts does not import the apps downstream of it.
    """
    links = Contact._meta.get_field("shoot_links").related_model
    sales = Contact._meta.get_field("sales").related_model
    return (
        Contact.objects.for_studio(studio)
        .prefetch_related(
            "emails",
            "phones",
            "addresses",
            "tags",
            Prefetch(
                "shoot_links",
                queryset=links.objects.select_related("shoot").order_by(
                    "-shoot__starts_at", "-shoot__id"
                ),
                to_attr="shoot_rows",
            ),
            Prefetch(
                "sales", queryset=sales.objects.order_by("-sale_date", "-id"), to_attr="sale_rows"
            ),
        )
        .get(pk=pk)
    )
