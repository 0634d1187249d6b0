"""Reads of imports, always scoped by studio."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Studio
from transfers.models import ImportBatch, ImportRow, SavedMapping


def batches(*, studio: Studio) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.for_studio(studio).defer("file_bytes")


def get_batch(*, studio: Studio, pk: int) -> ImportBatch:
    """The studio's batch; ImportBatch.DoesNotExist for another studio's or none."""
    return ImportBatch.objects.for_studio(studio).select_related("studio").get(pk=pk)


def batch_rows(*, batch: ImportBatch, outcome: str = "") -> QuerySet[ImportRow]:
    rows = ImportRow.objects.filter(batch=batch, studio_id=batch.studio_id)
    if outcome in ImportRow.Outcome.values:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("line")


def saved_mappings(*, studio: Studio, kind: str) -> QuerySet[SavedMapping]:
    return SavedMapping.objects.for_studio(studio).filter(kind=kind)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    rows_per_second: float
    seconds_left: int | None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100


def progress(batch: ImportBatch) -> Progress:
    """Rows done, rows per second since the run started, and the time left at that rate."""
    rate = 0.0
    if batch.started_at and batch.rows_done:
        end = batch.finished_at or timezone.now()
        elapsed = max((end - batch.started_at).total_seconds(), 0.001)
        rate = batch.rows_done / elapsed
    left = None
    if rate > 0 and batch.status == ImportBatch.Status.RUNNING:
        left = int((batch.row_count - batch.rows_done) / rate)
    return Progress(batch.rows_done, batch.row_count, round(rate, 1), left)
