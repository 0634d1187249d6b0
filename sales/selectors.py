"""Every read of sales beyond a plain .get, always scoped by studio."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.models import Studio
from contacts.models import Contact
from contacts.selectors import contact_list
from sales.models import Sale
from shoots.models import Shoot

NEWEST_FIRST = ("-sale_date", "-id")


def sale_list(
    *,
    studio: Studio,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    source: str | None = None,
    contact: Contact | int | None = None,
    query: str = "",
    status: str | None = None,
) -> QuerySet[Sale]:
    """The studio's sales, newest first. Dates are inclusive; every word of `query` must
    appear in the contact's name or company, the external reference or the gallery name."""
    sales = Sale.objects.for_studio(studio)
    if date_from:
        sales = sales.filter(sale_date__gte=date_from)
    if date_to:
        sales = sales.filter(sale_date__lte=date_to)
    if source:
        sales = sales.filter(source=source)
    if contact is not None:
        sales = sales.filter(contact=contact)
    if status:
        sales = sales.filter(status=status)
    words = query.split()
    if words:
        sales = sales.filter(reduce(and_, (_matches_word(word) for word in words)))
    return sales.select_related("contact", "shoot").order_by(*NEWEST_FIRST)


def _matches_word(word: str) -> Q:
    return (
        Q(contact__first_name__icontains=word)
        | Q(contact__last_name__icontains=word)
        | Q(contact__company__icontains=word)
        | Q(external_ref__icontains=word)
        | Q(gallery_name__icontains=word)
    )


def studio_has_sales(*, studio: Studio) -> bool:
    return Sale.objects.for_studio(studio).exists()


def get_sale(*, studio: Studio, pk: int) -> Sale:
    """The studio's sale `pk`, or Http404 (another studio's sale is not found either)."""
    return get_object_or_404(Sale.objects.for_studio(studio), pk=pk)


def sale_detail(*, studio: Studio, pk: int) -> Sale:
    """The sale with its contact, shoot, lines, payments and refunds loaded, or Http404."""
    sales = (
        Sale.objects.for_studio(studio)
        .select_related("contact", "shoot")
        .prefetch_related("lines", "payments", "refunds")
    )
    return get_object_or_404(sales, pk=pk)


def sales_for_contact(*, studio: Studio, contact: Contact | int) -> QuerySet[Sale]:
    return sale_list(studio=studio, contact=contact)


def sales_for_shoot(*, studio: Studio, shoot: Shoot | int) -> QuerySet[Sale]:
    return sale_list(studio=studio).filter(shoot=shoot)


def totals_by_currency(queryset: QuerySet[Sale]) -> list[dict]:
    """One row per currency — currency, count, total_minor, refunded_minor, net_minor —
    in currency order. Amounts of different currencies are never added together."""
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .order_by()
        .values("currency")
        .annotate(
            count=Count("id"),
            total_minor=Sum("total_minor"),
            refunded_minor=Sum("refunded_minor"),
        )
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            "total_minor": row["total_minor"] or 0,
            "refunded_minor": row["refunded_minor"] or 0,
            "net_minor": (row["total_minor"] or 0) - (row["refunded_minor"] or 0),
        }
        for row in rows
    ]


# The picker lists this many contacts; the search box finds the others.
CONTACT_CHOICES = 50


def contacts_for_sale_form(*, studio: Studio) -> QuerySet[Contact]:
    """Every contact the sale form accepts (the studio's): what the choice is checked
    against, never what the page lists."""
    return Contact.objects.for_studio(studio).only("id", "first_name", "last_name", "company")


def contact_choices_for_sale_form(
    *, studio: Studio, query: str = "", selected: object = None
) -> list[Contact]:
    """What the picker lists: the chosen contact first, then up to CONTACT_CHOICES
    contacts matching `query` (name, company, email or phone, as the contact list
    searches), by surname."""
    chosen = contact_for_studio(studio=studio, pk=selected) if selected else None
    found = contact_list(studio=studio, query=query).only(
        "id", "first_name", "last_name", "company"
    )
    if chosen is not None:
        found = found.exclude(pk=chosen.pk)
    return [*([chosen] if chosen else []), *found[:CONTACT_CHOICES]]


def shoots_for_sale_form(
    *, studio: Studio, contact: Contact | int | None = None
) -> QuerySet[Shoot]:
    """The shoots a sale may point at: the contact's when one is chosen, else all."""
    shoots = Shoot.objects.for_studio(studio)
    if contact is not None:
        shoots = shoots.filter(shoot_contacts__contact=contact).distinct()
    return shoots.only("id", "title", "starts_at").order_by("-starts_at", "-id")


def contact_for_studio(*, studio: Studio, pk: object) -> Contact | None:
    """The studio's contact `pk` (any type a query string may carry), or None."""
    try:
        return Contact.objects.for_studio(studio).get(pk=int(str(pk)))
    except (ValueError, OverflowError, Contact.DoesNotExist):
        return None


def shoot_for_studio(*, studio: Studio, pk: object) -> Shoot | None:
    try:
        return Shoot.objects.for_studio(studio).get(pk=int(str(pk)))
    except (ValueError, OverflowError, Shoot.DoesNotExist):
        return None
