"""Each client's totals per currency (sales.models.ClientSales), for the client value
report: kept by sales.rollup.keeping, in the transaction of every write to a sale.

Counts and sums are added as differences, like the daily rollup (database-side, so
concurrent writers never lose an update); a sale joining a row can only lower its first
and raise its last sale date, which the same statement does (core.rollups.upsert_rollup).
A sale *leaving* a row — cancelled, deleted, its date changed, moved to another contact
or currency, its invoice withdrawn — may take that row's first or last date with it, so
that row is recounted from the sales instead: the same statement first locks it (so a
concurrent writer of the same client waits, then adds on top or recounts after), then one
GROUP BY over that client's sales rewrites it, or deletes it when no sale is left. Under
READ COMMITTED the recount sees every sale committed before the lock was granted.

`rebuild`/`check` recompute every row from the sales (the data migration and
`manage.py rebuild_report_rollups`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum

from core.providers import Provider
from core.rollups import add_into, mismatches, replace_rows, stored_rows, upsert_rollup
from sales.facts import Fact, invoiced
from sales.models import ClientSales, Sale

KEY_FIELDS = ("studio", "contact", "currency", "invoiced_only")
SUM_FIELDS = ("sales_count", "gross_minor", "net_minor", "gallery_minor")
VALUE_FIELDS = (*SUM_FIELDS, "first_sale", "last_sale")
GALLERY_SOURCES = tuple(Provider.values)  # orders imported from an online gallery
CONTACT_CHUNK = 500

Key = tuple[int, int, str, bool]  # studio, contact, currency, invoiced only
Entry = tuple[Key, dt.date, tuple[int, int, int, int]]  # a sale in a row: date, sums
Entries = dict[int, list[Entry]]  # per sale id


def entries(facts: Iterable[Fact]) -> Entries:
    """The rows each sale counts in: every active sale in its client's "every sale" row,
    an invoiced one in the "invoiced only" row too; a cancelled sale in none."""
    found: Entries = {}
    for fact in facts:
        found[fact.pk] = []
        if not fact.active:
            continue
        gallery = fact.total if fact.source in GALLERY_SOURCES else 0
        sums = (1, fact.total, fact.total - fact.refunded, gallery)
        scopes = (False, True) if fact.invoiced else (False,)
        for scope in scopes:
            key = (fact.studio_id, fact.contact_id, fact.currency, scope)
            found[fact.pk].append((key, fact.day, sums))
    return found


def apply(before: Entries, after: Entries) -> None:
    """Bring the rows of these sales from `before` to `after` (module docstring)."""
    recount: set[Key] = set()
    sums: dict[Key, list[int]] = {}
    spans: dict[Key, list[dt.date]] = {}
    for pk, old in before.items():
        staying = {(key, day) for key, day, _ in after.get(pk, [])}
        for key, day, values in old:
            if (key, day) not in staying:
                recount.add(key)
            add_into(sums, key, [-value for value in values])
    for new in after.values():
        for key, day, values in new:
            add_into(sums, key, values)
            span = spans.setdefault(key, [day, day])
            span[0], span[1] = min(span[0], day), max(span[1], day)
    rows: dict[Key, tuple] = {}
    for key, delta in sums.items():
        if key in recount:
            rows[key] = (0, 0, 0, 0, None, None)  # locks the row; recounted below
        elif any(delta):
            rows[key] = (*delta, *spans[key])
    upsert_rollup(
        ClientSales, KEY_FIELDS, SUM_FIELDS, rows, lowest=("first_sale",), highest=("last_sale",)
    )
    if recount:
        _recount(recount)


def _recount(keys: set[Key]) -> None:
    contacts: dict[int, set[int]] = defaultdict(set)
    for studio_id, contact_id, _, _ in keys:
        contacts[studio_id].add(contact_id)
    fresh: dict[Key, tuple] = {}
    for studio_id, ids in contacts.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), CONTACT_CHUNK):
            chunk = ordered[start : start + CONTACT_CHUNK]
            sales = Sale.objects.filter(studio_id=studio_id, contact_id__in=chunk)
            fresh.update(_grouped(sales))
    for key in sorted(keys):
        studio_id, contact_id, currency, scope = key
        row = ClientSales.objects.filter(
            studio_id=studio_id, contact_id=contact_id, currency=currency, invoiced_only=scope
        )
        values = fresh.get(key)
        if values is None:
            row.delete()
        else:
            row.update(**dict(zip(VALUE_FIELDS, values, strict=True)))


def _grouped(sales: QuerySet[Sale]) -> dict[Key, tuple]:
    """The rows these sales make: per key, (count, gross, net, gallery, first, last)."""
    groups = (
        sales.filter(status=Sale.Status.ACTIVE)
        .annotate(has_invoice=invoiced())
        .values("studio_id", "contact_id", "currency", "has_invoice")
        .annotate(
            n=Count("*"),
            gross=Sum("total_minor"),
            net=Sum(F("total_minor") - F("refunded_minor")),
            gallery=Sum("total_minor", filter=Q(source__in=GALLERY_SOURCES), default=0),
            first=Min("sale_date"),
            last=Max("sale_date"),
        )
        .order_by()
    )
    columns = ("studio_id", "contact_id", "currency", "has_invoice")
    groups = groups.values_list(*columns, "n", "gross", "net", "gallery", "first", "last")
    rows: dict[Key, list] = {}
    for studio_id, contact_id, currency, has_invoice, *values in groups.iterator(5000):
        for scope in (False, True) if has_invoice else (False,):
            _combine(rows, (studio_id, contact_id, currency, scope), values)
    return {key: tuple(values) for key, values in rows.items()}


def _combine(rows: dict[Key, list], key: Key, values: list) -> None:
    n, gross, net, gallery, first, last = values
    current = rows.get(key)
    if current is None:
        rows[key] = [int(n), int(gross), int(net), int(gallery), first, last]
        return
    for index, value in enumerate((n, gross, net, gallery)):
        current[index] += int(value)
    current[4], current[5] = min(current[4], first), max(current[5], last)


# Recomputing from the sales ------------------------------------------------------------


def recomputed(studio_id: int | None = None) -> dict[tuple, tuple]:
    """The rows as the sales say they should be (every studio, or one)."""
    sales = Sale.objects.all() if studio_id is None else Sale.objects.filter(studio_id=studio_id)
    return _grouped(sales)


def stored(studio_id: int | None = None) -> dict[tuple, tuple]:
    """The rows as stored, rows that count nothing left out."""
    return stored_rows(ClientSales, KEY_FIELDS, VALUE_FIELDS, studio_id)


def check(studio_id: int | None = None) -> list[str]:
    """Every difference between the stored rows and the sales, in words (none: [])."""
    return mismatches("client rollup", "sales", recomputed(studio_id), stored(studio_id))


@transaction.atomic
def rebuild(studio_id: int | None = None) -> int:
    """Replace the stored rows with the recomputation; returns the rows written."""
    return replace_rows(ClientSales, KEY_FIELDS, VALUE_FIELDS, recomputed(studio_id), studio_id)
