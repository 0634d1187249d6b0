"""What the rollups need to know of each sale, read in one query for all of them
(sales.rollup's daily totals, sales.client_rollup's per-client totals)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.apps import apps
from django.db.models import Exists, OuterRef

from sales.models import Sale

ID_CHUNK = 500


class Fact(NamedTuple):
    pk: int
    studio_id: int
    contact_id: int
    day: dt.date
    currency: str
    source: str
    invoiced: bool
    active: bool
    total: int
    refunded: int


def invoiced() -> Exists:
    """The sale has a current invoice (invoicing.models.Invoice, looked up by name: the
    invoicing app builds on sales, not the other way round)."""
    invoice = apps.get_model("invoicing", "Invoice")
    return Exists(invoice.objects.filter(sale=OuterRef("pk"), superseded=False))


def sale_facts(sale_ids: Iterable[int], *, lock: bool = False) -> list[Fact]:
    """The given sales as they are now (deleted ones are absent). `lock` takes their rows
    FOR UPDATE."""
    ids = sorted(set(sale_ids))
    facts: list[Fact] = []
    for start in range(0, len(ids), ID_CHUNK):
        sales = Sale.objects.filter(pk__in=ids[start : start + ID_CHUNK]).order_by("pk")
        if lock:
            sales = sales.select_for_update()
        rows = sales.annotate(has_invoice=invoiced()).values_list(
            "pk", "studio_id", "contact_id", "sale_date", "currency", "source", "has_invoice",
            "status", "total_minor", "refunded_minor",
        )  # fmt: skip
        for row in rows:
            facts.append(Fact(*row[:7], row[7] == Sale.Status.ACTIVE, *row[8:]))
    return facts
