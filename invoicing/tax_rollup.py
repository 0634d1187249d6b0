"""The tax report's daily rollup (invoicing.models.TaxDay), kept by the one function that
writes a document's figures and lines (services._freeze) through `keeping(document)`:
what the document contributed before and after, read from the database in the same
transaction, the difference added with database-side increments (core.rollups).

Documents are never deleted (an issued number stays), so freezing is the only change.
`rebuild`/`check` recompute the rollup from the documents (data migration and
`manage.py rebuild_report_rollups`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F, Sum

from core.rollups import (
    add_into,
    add_to_rollup,
    difference,
    mismatches,
    replace_rows,
    stored_rows,
)
from invoicing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, TaxDay

KEY_FIELDS = ("studio", "day", "currency", "kind", "rate_bp")
VALUE_FIELDS = ("count", "net_minor", "tax_minor")
KINDS = (
    (TaxDay.Kind.INVOICE, Invoice, InvoiceLine, "invoice"),
    (TaxDay.Kind.CREDIT_NOTE, CreditNote, CreditNoteLine, "credit_note"),
)

Totals = dict[tuple, list[int]]


def _kind_of(document: Invoice | CreditNote) -> tuple:
    return next(k for k in KINDS if isinstance(document, k[1]))


def contributions(
    kind: tuple, document_ids: Iterable[int] | None = None, studio_id: int | None = None
) -> Totals:
    """What documents of one kind add to the rollup (the given ids, or all of them)."""
    name, model, line_model, owner = kind
    documents = model.objects.order_by()
    lines = line_model.objects.order_by()
    if studio_id is not None:
        documents = documents.filter(studio_id=studio_id)
        lines = lines.filter(studio_id=studio_id)
    if document_ids is not None:
        ids = list(document_ids)
        documents = documents.filter(pk__in=ids)
        lines = lines.filter(**{f"{owner}__in": ids})
    totals: Totals = {}
    for studio_id, day, currency, n, extra in (
        documents.values("studio_id", "issued_on", "currency")
        .annotate(n=Count("*"), extra=Sum(F("shipping_minor") - F("order_discount_minor")))
        .values_list("studio_id", "issued_on", "currency", "n", "extra")
    ):
        add_into(totals, (studio_id, day, currency, name, TaxDay.DOCUMENTS), (n, extra, 0))
    for studio_id, day, currency, rate, n, net, tax in (
        lines.values(
            f"{owner}__studio_id", f"{owner}__issued_on", f"{owner}__currency", "tax_rate_bp"
        )
        .annotate(n=Count("*"), net=Sum("net_minor"), tax=Sum("tax_minor"))
        .values_list(
            f"{owner}__studio_id",
            f"{owner}__issued_on",
            f"{owner}__currency",
            "tax_rate_bp",
            "n",
            "net",
            "tax",
        )
    ):
        add_into(totals, (studio_id, day, currency, name, rate), (n, net, tax))
    return totals


def _frozen(totals: Totals) -> dict[tuple, tuple[int, ...]]:
    return {key: tuple(values) for key, values in totals.items()}


@contextmanager
def keeping(document: Invoice | CreditNote) -> Iterator[None]:
    """Around a write of the document's figures and lines (saved or new)."""
    kind = _kind_of(document)
    with transaction.atomic():
        before = contributions(kind, [document.pk]) if document.pk else {}
        yield
        after = contributions(kind, [document.pk])
        changes = difference(_frozen(before), _frozen(after))
        add_to_rollup(TaxDay, KEY_FIELDS, VALUE_FIELDS, changes)


def recomputed(studio_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    totals: Totals = {}
    for kind in KINDS:
        for key, values in contributions(kind, studio_id=studio_id).items():
            add_into(totals, key, values)
    return _frozen(totals)


def stored(studio_id: int | None = None) -> dict[tuple, tuple[int, ...]]:
    """The rollup as stored, rows that add nothing left out."""
    return stored_rows(TaxDay, KEY_FIELDS, VALUE_FIELDS, studio_id)


def check(studio_id: int | None = None) -> list[str]:
    """Every difference between the stored rollup and the documents, in words (none: [])."""
    return mismatches("tax rollup", "documents", recomputed(studio_id), stored(studio_id))


@transaction.atomic
def rebuild(studio_id: int | None = None) -> int:
    """Replace the stored rollup with the recomputation; returns the rows written."""
    return replace_rows(TaxDay, KEY_FIELDS, VALUE_FIELDS, recomputed(studio_id), studio_id)
