"""Background work of imports, on Django's Tasks API (like inbox/tasks.py).

Both tasks are safe to run again (the worker's recovery re-runs a task whose worker
died): the preview recomputes, the run skips the rows it has done.
"""

from __future__ import annotations

import logging

from django.tasks import task

from transfers.models import ImportBatch

logger = logging.getLogger(__name__)


@task()
def preview_task(batch_id: int) -> dict:
    from transfers import services

    batch = ImportBatch.objects.select_related("studio").filter(pk=batch_id).first()
    if batch is None or batch.status != ImportBatch.Status.PREVIEWING:
        return {"skipped": True}
    try:
        batch = services.preview(batch=batch)
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    return batch.counts


@task()
def run_task(batch_id: int) -> dict:
    from transfers import services

    batch = services.run(batch_id=batch_id)
    logger.info(
        "Import %s: %s of %s rows, %s", batch.pk, batch.rows_done, batch.row_count, batch.counts
    )
    return batch.counts
