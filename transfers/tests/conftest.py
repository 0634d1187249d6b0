"""Transfers' tests: files are written by the tests themselves (small, in memory)."""

from __future__ import annotations

import pytest

from transfers import services
from transfers.models import ImportBatch


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


@pytest.fixture
def do_import(studio):
    """do_import(data, name="c.csv", kind="contacts", run=True, **options) → batch,
    previewed and (unless run=False) run to the end in-line."""

    def go(
        data: bytes,
        name: str = "c.csv",
        kind: str = "contacts",
        *,
        run: bool = True,
        on_studio=None,
        mapping=None,
        **options,
    ) -> ImportBatch:
        batch = services.upload(studio=on_studio or studio, kind=kind, file_name=name, data=data)
        if mapping is not None or options:
            services.set_mapping(batch=batch, mapping=mapping, **options)
        services.start_preview(batch=batch)
        batch.refresh_from_db()
        if run:
            services.start_run(batch=batch)
            batch.refresh_from_db()
        return batch

    return go
