"""Every read of shoots beyond a plain .get, always scoped by studio."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import and_

from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from accounts.models import Studio
from contacts.models import Contact, ContactEmail
from core.clock import start_of_day, studio_zone
from shoots.models import Shoot, ShootContact

# Shoots whose sales belong to them: an enquiry may never happen and a cancelled one didn't.
SALE_WORTHY_STATUSES = (Shoot.Status.CONFIRMED, Shoot.Status.COMPLETED)
NEWEST_FIRST = ("-starts_at", "-id")


def _with_contacts(queryset: QuerySet[Shoot]) -> QuerySet[Shoot]:
    """Prefetch the linked contacts, clients first, for lists and detail pages."""
    client_first = Case(When(role=ShootContact.Role.CLIENT, then=Value(0)), default=Value(1))
    links = ShootContact.objects.select_related("contact").order_by(client_first, "id")
    return queryset.prefetch_related(Prefetch("shoot_contacts", queryset=links))


def shoot_list(
    *,
    studio: Studio,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    query: str = "",
) -> QuerySet[Shoot]:
    """The studio's shoots, newest first. Dates are days on the studio's clocks, both
    inclusive; every word of `query` must appear in the title or a linked contact's name."""
    shoots = Shoot.objects.for_studio(studio)
    if status:
        shoots = shoots.filter(status=status)
    zone = studio_zone(studio)
    if date_from:
        shoots = shoots.filter(starts_at__gte=start_of_day(date_from, zone))
    if date_to:
        shoots = shoots.filter(starts_at__lt=start_of_day(date_to + dt.timedelta(days=1), zone))
    words = query.split()
    if words:
        shoots = shoots.filter(reduce(and_, (_matches_word(word) for word in words)))
    return _with_contacts(shoots.order_by(*NEWEST_FIRST))


def _matches_word(word: str) -> Q:
    named = ShootContact.objects.filter(shoot=OuterRef("pk")).filter(
        Q(contact__first_name__icontains=word)
        | Q(contact__last_name__icontains=word)
        | Q(contact__company__icontains=word)
    )
    return Q(title__icontains=word) | Q(Exists(named))


def get_shoot(*, studio: Studio, pk: int | str) -> Shoot:
    """The studio's shoot `pk` with its contacts; Shoot.DoesNotExist for any other studio's."""
    return _with_contacts(Shoot.objects.for_studio(studio)).get(pk=pk)


def studio_has_shoots(*, studio: Studio) -> bool:
    return Shoot.objects.for_studio(studio).exists()


def shoots_for_contact(*, studio: Studio, contact: Contact) -> QuerySet[Shoot]:
    """The contact's shoots, newest first, each annotated with `role` (the contact's
    role there, e.g. "client") and `role_label` ("Client")."""
    link = ShootContact.objects.filter(shoot=OuterRef("pk"), contact=contact)
    role_label = Case(
        *(When(role=value, then=Value(label)) for value, label in ShootContact.Role.choices),
        default=F("role"),
    )
    return (
        Shoot.objects.for_studio(studio)
        .filter(Exists(link))
        .annotate(role=Subquery(link.values("role")[:1]))
        .annotate(role_label=Subquery(link.annotate(label=role_label).values("label")[:1]))
        .order_by(*NEWEST_FIRST)
    )


def most_recent_confirmed_shoot(
    *,
    studio: Studio,
    contact: Contact,
    on_or_before: dt.datetime | None = None,
    gallery_provider: str = "",
    gallery_id: str = "",
) -> Shoot | None:
    """The shoot a sale of `contact` most likely belongs to (offered by "Import Order").

    Only the contact's confirmed or completed shoots are candidates. In order:
    1. the gallery's own shoot, when provider and gallery id are given and it is a candidate;
    2. the latest candidate starting at or before `on_or_before` (e.g. the order time);
    3. the latest candidate at all (an order can precede a shoot, e.g. a prepaid album).
    """
    if on_or_before is not None and timezone.is_naive(on_or_before):
        raise ValueError("on_or_before must be an aware datetime.")
    candidates = Shoot.objects.for_studio(studio).filter(
        status__in=SALE_WORTHY_STATUSES,
        shoot_contacts__contact=contact,
        shoot_contacts__studio=studio,
    )
    if gallery_provider and gallery_id:
        own = candidates.filter(gallery_provider=gallery_provider, gallery_id=gallery_id)
        if shoot := own.order_by(*NEWEST_FIRST).first():
            return shoot
    if on_or_before is not None:
        earlier = candidates.filter(starts_at__lte=on_or_before)
        if shoot := earlier.order_by(*NEWEST_FIRST).first():
            return shoot
    return candidates.order_by(*NEWEST_FIRST).first()


def contact_choices(*, studio: Studio) -> list[tuple[int, str]]:
    """(pk, label) for the studio's contacts, for the shoot form's contact selects.
    The label carries the first email so two people of the same name can be told apart."""
    first_email = ContactEmail.objects.filter(contact=OuterRef("pk")).order_by("-is_primary", "id")
    contacts = (
        Contact.objects.for_studio(studio)
        .annotate(first_email=Subquery(first_email.values("email")[:1]))
        .only("first_name", "last_name", "company")
        .order_by("last_name", "first_name", "id")
    )
    return [
        (c.pk, f"{c.display_name} · {c.first_email}" if c.first_email else c.display_name)
        for c in contacts
    ]
