"""An import's done rows (JSON fields, quotes, accents) stored by contacts.bulk_insert
equal those bulk_create stores (transfers.services.run_chunk inserts them so)."""

from __future__ import annotations

import pytest

from contacts import bulk_insert
from contacts.tests.test_bulk_insert import _values
from transfers import services
from transfers.models import ImportRow


@pytest.mark.django_db
def test_import_rows_store_the_same(studio):
    batches = [
        services.upload(studio=studio, kind="contacts", file_name="a.csv", data=b"First\nAnn\n")
        for _ in range(2)
    ]

    def rows(batch):
        return [
            ImportRow(
                studio_id=studio.pk,
                batch=batch,
                line=n + 2,
                outcome=["new", "merge", "problem"][n % 3],
                reason=f"Merged into Ann (#{n}): same email, 'x' \"y\" %s",
                label="Ann Smith",
                done=bool(n % 2),
                created_ids={"contact": [n, n + 1]} if n % 2 else {},
                merged_contact_id=None if n % 2 else 10**12 + n,
                before={"first_name": "Ann", "tag_ids": [1, 2], "after": {"notes": "ü\n"}},
            )
            for n in range(7)
        ]

    a, b = rows(batches[0]), rows(batches[1])
    ImportRow.objects.bulk_create(a)
    bulk_insert.insert(ImportRow, b)

    def stored(rows):  # all but the batch (each set has its own: a line is once per batch)
        return [{k: v for k, v in r.items() if k != "batch_id"} for r in _values(ImportRow, rows)]

    assert stored(a) == stored(b)
    assert [r["batch_id"] for r in _values(ImportRow, b)] == [batches[1].pk] * 7
    assert all(row.pk for row in b)
