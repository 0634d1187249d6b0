"""Integer public ids, as ShootProof's API uses, from a counter per kind of record: an id
is never handed out twice, even after the record is deleted."""

from __future__ import annotations

from django.db import transaction

from .models import Counter

STARTS = {
    "brand": 1201,
    "event": 301,
    "order": 5003001,
    "item": 77001,
    "payment": 88001,
    "notification": 9001,
}


@transaction.atomic
def next_ids(kind: str, count: int = 1) -> list[int]:
    """``count`` fresh ids of ``kind`` (in the caller's transaction when there is one)."""
    counter = Counter.objects.select_for_update().filter(name=kind).first()
    if counter is None:
        counter = Counter.objects.create(name=kind, last=STARTS[kind] - 1)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return list(range(first, first + count))


def next_id(kind: str) -> int:
    return next_ids(kind)[0]
