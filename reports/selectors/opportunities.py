"""Opportunities for further sales, each a list of (client, reason) as of today.

1. Galleries with no order yet — completed shoots with a gallery and no active sale for
   that shoot or gallery, from N (14) days to a year after the shoot.
2. Only digital files bought — a client's orders from a gallery in the last year held
   digital files and no prints, albums, wall art or packages: offer prints or an album.
3. Past high-value clients — net in their currency's top 20 %, nothing bought for a year.
4. Anniversaries coming up — the yearly return of a family, newborn or wedding shoot
   within the next weeks, for clients with nothing booked yet.
5. Returning clients' upcoming shoots — confirmed shoots of clients who bought before.

The date range does not apply (these are about today); the currency filter applies to
the lists with amounts (2 and 3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from accounts.models import Studio
from core.clock import local_date, studio_today, studio_zone
from reports.selectors.client_totals import client_totals
from reports.selectors.client_value import NAME_FIELDS, counted_currencies
from reports.selectors.common import ReportFilters, contact_name
from reports.selectors.segments import TOP_SHARE
from sales.models import Sale, SaleLine
from shoots.models import Shoot, ShootContact

GALLERY_WAIT_DAYS = 14
RECENT_DAYS = 365
LAPSED_DAYS = 365
ANNIVERSARY_WINDOW_DAYS = 45
ANNUAL_SHOOT_TYPES = (Shoot.Type.FAMILY, Shoot.Type.NEWBORN, Shoot.Type.WEDDING)
PHYSICAL_KINDS = (
    SaleLine.Kind.PRINT,
    SaleLine.Kind.ALBUM,
    SaleLine.Kind.WALL_ART,
    SaleLine.Kind.PACKAGE,
)
KINDS = (
    ("unordered_gallery", "Galleries with no order yet"),
    ("returning_client_shoot", "Upcoming shoots of returning clients"),
    ("digital_only", "Only digital files bought"),
    ("anniversary", "Anniversaries coming up"),
    ("lapsed_high_value", "Past high-value clients"),
)


@dataclass(frozen=True)
class Opportunity:
    kind: str
    contact_id: int | None
    contact_name: str
    reason: str
    date: dt.date
    shoot_id: int | None = None
    shoot_title: str = ""
    currency: str = ""
    amount_minor: int | None = None


@dataclass
class OpportunityList:
    kind: str
    label: str
    items: list[Opportunity] = field(default_factory=list)


def opportunities(
    *,
    studio: Studio,
    filters: ReportFilters,
    limit: int | None = None,
    kinds: Collection[str] | None = None,
) -> list[OpportunityList]:
    """Every list (or those of `kinds`), in priority order; `limit` caps each list."""
    today = studio_today(studio)
    finders = {
        "unordered_gallery": unordered_galleries,
        "returning_client_shoot": returning_client_shoots,
        "digital_only": digital_only_galleries,
        "anniversary": anniversaries,
        "lapsed_high_value": lapsed_high_value_clients,
    }
    return [
        OpportunityList(
            kind,
            label,
            finders[kind](studio=studio, filters=filters, today=today, limit=limit),
        )
        for kind, label in KINDS
        if kinds is None or kind in kinds
    ]


def top_opportunities(lists: list[OpportunityList], count: int = 5) -> list[Opportunity]:
    """A few of each kind, taken in turn in priority order (the home page's top 5)."""
    picked: list[Opportunity] = []
    depth = 0
    while len(picked) < count and any(depth < len(each.items) for each in lists):
        picked.extend(each.items[depth] for each in lists if depth < len(each.items))
        depth += 1
    return picked[:count]


def _clients_first() -> Prefetch:
    client_first = Case(When(role=ShootContact.Role.CLIENT, then=Value(0)), default=Value(1))
    links = ShootContact.objects.select_related("contact").order_by(client_first, "id")
    return Prefetch("shoot_contacts", queryset=links)


def _main_contact(shoot: Shoot) -> tuple[int | None, str]:
    links = list(shoot.shoot_contacts.all())
    if not links:
        return None, "(no client)"
    names = ", ".join(link.contact.display_name for link in links[:2])
    return links[0].contact_id, names + (" …" if len(links) > 2 else "")


def _cap(queryset, limit: int | None):
    return queryset if limit is None else queryset[:limit]


def unordered_galleries(
    *, studio: Studio, filters: ReportFilters, today: dt.date, limit: int | None = None
) -> list[Opportunity]:
    now = timezone.now()
    ordered = Sale.objects.filter(studio=studio, status=Sale.Status.ACTIVE).filter(
        Q(shoot=OuterRef("pk"))
        | Q(gallery_id=OuterRef("gallery_id"), gallery_provider=OuterRef("gallery_provider"))
    )
    shoots = (
        Shoot.objects.for_studio(studio)
        .filter(status=Shoot.Status.COMPLETED)
        .exclude(gallery_id="")
        .filter(
            starts_at__lte=now - timedelta(days=GALLERY_WAIT_DAYS),
            starts_at__gte=now - timedelta(days=RECENT_DAYS),
        )
        .filter(~Exists(ordered))
        .prefetch_related(_clients_first())
        .order_by("-starts_at", "-id")
    )
    items = []
    for shoot in _cap(shoots, limit):
        day = local_date(shoot.starts_at, studio)
        contact_id, name = _main_contact(shoot)
        provider = shoot.get_gallery_provider_display() or "online"
        items.append(
            Opportunity(
                kind="unordered_gallery",
                contact_id=contact_id,
                contact_name=name,
                reason=f"Shoot completed {(today - day).days} days ago; its {provider} "
                "gallery has no order yet.",
                date=day,
                shoot_id=shoot.pk,
                shoot_title=shoot.title,
            )
        )
    return items


def returning_client_shoots(
    *, studio: Studio, filters: ReportFilters, today: dt.date, limit: int | None = None
) -> list[Opportunity]:
    bought = Sale.objects.filter(
        studio=studio,
        status=Sale.Status.ACTIVE,
        contact__shoot_links__shoot=OuterRef("pk"),
    ).exclude(shoot=OuterRef("pk"))
    shoots = (
        Shoot.objects.for_studio(studio)
        .filter(status=Shoot.Status.CONFIRMED, starts_at__gte=timezone.now())
        .filter(Exists(bought))
        .prefetch_related(_clients_first())
        .order_by("starts_at", "id")
    )
    shoots = list(_cap(shoots, limit))
    history = _purchase_history(
        studio,
        {link.contact_id for shoot in shoots for link in shoot.shoot_contacts.all()},
        exclude_shoots={shoot.pk for shoot in shoots},
    )
    items = []
    for shoot in shoots:
        contact_ids = [link.contact_id for link in shoot.shoot_contacts.all()]
        count = sum(history.get(cid, {}).get("count", 0) for cid in contact_ids)
        day = local_date(shoot.starts_at, studio)
        contact_id, name = _main_contact(shoot)
        items.append(
            Opportunity(
                kind="returning_client_shoot",
                contact_id=contact_id,
                contact_name=name,
                reason=f"Returning client ({count} earlier "
                f"{'sale' if count == 1 else 'sales'}); shoot in {(day - today).days} days: "
                "plan the sales session.",
                date=day,
                shoot_id=shoot.pk,
                shoot_title=shoot.title,
            )
        )
    return items


def _purchase_history(
    studio: Studio, contact_ids: set[int], exclude_shoots: set[int]
) -> dict[int, dict]:
    """Active sales per contact, leaving out those recorded for the upcoming shoots."""
    rows = (
        Sale.objects.filter(studio=studio, status=Sale.Status.ACTIVE, contact_id__in=contact_ids)
        .exclude(shoot_id__in=exclude_shoots)
        .order_by()
        .values("contact_id")
        .annotate(count=Count("id"))
    )
    return {row["contact_id"]: row for row in rows}


def digital_only_galleries(
    *, studio: Studio, filters: ReportFilters, today: dt.date, limit: int | None = None
) -> list[Opportunity]:
    lines = SaleLine.objects.for_studio(studio).filter(
        sale__status=Sale.Status.ACTIVE, sale__sale_date__gte=today - timedelta(days=RECENT_DAYS)
    )
    if filters.currency:
        lines = lines.filter(sale__currency=filters.currency)
    rows = (
        lines.exclude(sale__gallery_id="")
        .order_by()
        .values(
            "sale__gallery_provider",
            "sale__gallery_id",
            "sale__currency",
            "sale__contact_id",
            *(f"sale__{name}" for name in NAME_FIELDS),
        )
        .annotate(
            digital=Count("id", filter=Q(product_kind=SaleLine.Kind.DIGITAL)),
            physical=Count("id", filter=Q(product_kind__in=PHYSICAL_KINDS)),
            spent=Sum("total_minor"),
            last=Max("sale__sale_date"),
            gallery_name=Max("sale__gallery_name"),
            shoot_id=Max("sale__shoot_id"),
            shoot_title=Max("sale__shoot__title"),
        )
        .filter(digital__gt=0, physical=0)
        .order_by("-last", "-spent")
    )
    items = []
    for row in _cap(rows, limit):
        gallery = row["gallery_name"] or row["sale__gallery_id"]
        items.append(
            Opportunity(
                kind="digital_only",
                contact_id=row["sale__contact_id"],
                contact_name=contact_name(
                    row["sale__contact__first_name"],
                    row["sale__contact__last_name"],
                    row["sale__contact__company"],
                ),
                reason=f"Bought only digital files from the gallery “{gallery}”: "
                "offer prints, wall art or an album.",
                date=row["last"],
                shoot_id=row["shoot_id"],
                shoot_title=row["shoot_title"] or "",
                currency=row["sale__currency"],
                amount_minor=row["spent"],
            )
        )
    return items


def lapsed_high_value_clients(
    *, studio: Studio, filters: ReportFilters, today: dt.date, limit: int | None = None
) -> list[Opportunity]:
    everyone = ReportFilters(date_to=today, currency=filters.currency)
    is_top = Q()
    for currency in counted_currencies(studio=studio, filters=everyone):
        threshold = _top_threshold(studio, replace(everyone, currency=currency))
        if threshold is not None:
            is_top |= Q(currency=currency, net__gte=threshold)
    if not is_top:
        return []
    rows = (
        client_totals(studio=studio, filters=everyone, with_names=True)
        .filter(last__lt=today - timedelta(days=LAPSED_DAYS), net__gt=0)
        .filter(is_top)
        .order_by("currency", "-net", "contact_id")
    )
    items = []
    for row in _cap(rows, limit):
        months = (today - row["last"]).days * 12 // 365
        sales = f"{row['sales_count']} {'sale' if row['sales_count'] == 1 else 'sales'}"
        items.append(
            Opportunity(
                kind="lapsed_high_value",
                contact_id=row["contact_id"],
                contact_name=contact_name(*(row[name] for name in NAME_FIELDS)),
                reason=f"One of your top clients ({sales}); nothing bought for {months} months.",
                date=row["last"],
                currency=row["currency"],
                amount_minor=row["net"],
            )
        )
    return items


def _top_threshold(studio: Studio, filters: ReportFilters) -> int | None:
    """The net at the edge of the currency's top 20 % of clients (None: no clients)."""
    grouped = client_totals(studio=studio, filters=filters)
    count = grouped.count()
    if not count:
        return None
    nets = grouped.order_by("-net", "contact_id").values_list("net", flat=True)
    return nets[max(int(count * TOP_SHARE), 1) - 1]


def anniversaries(
    *, studio: Studio, filters: ReportFilters, today: dt.date, limit: int | None = None
) -> list[Opportunity]:
    """Completed family/newborn/wedding shoots whose yearly date falls in the next
    ANNIVERSARY_WINDOW_DAYS days; the latest per client, unless the client has a shoot
    booked already. The month narrows the candidates in the database; the exact date is
    checked on those few rows."""
    zone = studio_zone(studio)
    window_end = today + timedelta(days=ANNIVERSARY_WINDOW_DAYS)
    months = {(today + timedelta(days=d)).month for d in range(ANNIVERSARY_WINDOW_DAYS + 1)}
    booked = ShootContact.objects.filter(
        studio=studio,
        contact=OuterRef("contact_id"),
        shoot__starts_at__gte=timezone.now(),
    ).exclude(shoot__status=Shoot.Status.CANCELLED)
    links = (
        ShootContact.objects.filter(
            studio=studio,
            shoot__status=Shoot.Status.COMPLETED,
            shoot__shoot_type__in=ANNUAL_SHOOT_TYPES,
            shoot__starts_at__lt=timezone.now() - timedelta(days=300),
        )
        .annotate(month=ExtractMonth("shoot__starts_at", tzinfo=zone))
        .filter(month__in=months)
        .filter(~Exists(booked))
        .select_related("shoot", "contact")
        .order_by("-shoot__starts_at", "id")
    )
    latest: dict[int, Opportunity] = {}
    for link in links:
        shoot = link.shoot
        day = local_date(shoot.starts_at, studio)
        upcoming = next_anniversary(day, today)
        if link.contact_id in latest or upcoming > window_end:
            continue
        years = upcoming.year - day.year
        what = (
            "wedding anniversary"
            if shoot.shoot_type == Shoot.Type.WEDDING
            else (f"{shoot.get_shoot_type_display().lower()} shoot anniversary")
        )
        latest[link.contact_id] = Opportunity(
            kind="anniversary",
            contact_id=link.contact_id,
            contact_name=link.contact.display_name,
            reason=f"{years}-year {what} on {upcoming:%-d %b %Y} "
            f"(in {(upcoming - today).days} days): offer a follow-up session.",
            date=upcoming,
            shoot_id=shoot.pk,
            shoot_title=shoot.title,
        )
    items = sorted(latest.values(), key=lambda item: (item.date, item.contact_name))
    return items if limit is None else items[:limit]


def next_anniversary(day: dt.date, today: dt.date) -> dt.date:
    """The first yearly return of `day` on or after `today` (29 Feb → 28 Feb)."""
    year = max(today.year, day.year + 1)
    candidate = _same_day(day, year)
    return candidate if candidate >= today else _same_day(day, year + 1)


def _same_day(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)
