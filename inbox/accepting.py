"""Accept now, process next: a verified webhook is stored raw and answered at once; a task
on the "intake" queue then takes it in through inbox.intake, the one way in.

- `accept_delivery` (the webhook view's hot path): one `INSERT … ON CONFLICT DO NOTHING`
  keyed by (studio, provider, webhook-id) and, for a new delivery, the task row, in one
  transaction: one commit, and never a delivery without its task.
- `process_delivery` (the task): the stored body through `take_in` and the delivery
  marked processed, in one transaction; a delivery already processed is left alone, so
  running it twice (a resend, the sweep, a recovered task) changes nothing. A body the
  mapper refuses becomes a "needs attention" item as before; a failure of Cyan's own
  keeps the delivery with its reason, and after the last try a "needs attention" item.
- `sweep_waiting_deliveries` (the worker's intake housekeeping, every few seconds): a
  delivery accepted but still unprocessed after WAITING_GRACE with no task waiting or
  running for it (its task failed, or its row was pruned) is enqueued again.

The Inbox's newest-version rule (inbox.services) decides between versions of an order,
so the tasks may run in any order and still end at the newest `updated_at`.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import BigIntegerField, Exists, F, OuterRef, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from core import limits
from galleries import providers
from galleries.providers.base import VerifiedDelivery
from inbox.intake import storable_key, take_in
from inbox.models import InboxDelivery, WebhookDelivery
from inbox.services import Receipt, receive_unreadable

logger = logging.getLogger(__name__)

INTAKE_QUEUE = "intake"
# Unprocessed for longer than this with no task waiting for it: the sweep enqueues it.
WAITING_GRACE = timedelta(seconds=5)
# Tries of a delivery whose processing fails on Cyan's side before it is kept as
# "needs attention" (the sweep counts them).
MAX_ATTEMPTS = 5
TRANSIENT = (OperationalError, InterfaceError)

_TABLE = WebhookDelivery._meta.db_table
_COLUMNS = (
    "studio_id, provider, account_id, link_id, delivery_key, event_type, body, received_at,"
    " error, attempts"
)
_ACCEPT_SQL = (
    f"INSERT INTO {_TABLE} ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', 0)"
    " ON CONFLICT (studio_id, provider, delivery_key) DO NOTHING RETURNING id"
)
# PostgreSQL: the delivery and its task row in ONE statement (a data-modifying CTE), in
# autocommit: one round trip and one commit instead of BEGIN, two INSERTs and COMMIT. The
# task row is the one django-tasks-db's DatabaseBackend.enqueue writes (the library is
# pinned; inbox/tests/test_accept_now_postgres.py compares the two rows).
_ACCEPT_AND_ENQUEUE_SQL = (
    f"WITH accepted AS ({_ACCEPT_SQL})"
    f" INSERT INTO {DBTaskResult._meta.db_table} (id, status, enqueued_at, started_at,"
    " finished_at, args_kwargs, priority, task_path, worker_ids, queue_name, backend_name,"
    " run_after, return_value, exception_class_path, traceback)"
    " SELECT %s, 'READY', %s, NULL, NULL,"
    " jsonb_build_object('args', jsonb_build_array(accepted.id), 'kwargs', '{}'::jsonb),"
    " %s, %s, '[]'::jsonb, %s, %s, %s, NULL, '', '' FROM accepted"
    " RETURNING (args_kwargs->'args'->>0)::bigint"
)


def accept_delivery(*, provider: str, delivery: VerifiedDelivery, body: bytes) -> int | None:
    """Store a verified delivery and enqueue its processing; its id, or None when the same
    delivery (webhook-id) was accepted before. Raw SQL: the ORM would build two models and
    compile two queries for what is one statement on every webhook."""
    from inbox.tasks import process_webhook_delivery

    link = delivery.link
    now = timezone.now()
    params = [
        link.studio_id,
        provider,
        link.provider_account_id,
        link.pk,
        storable_key(delivery.webhook_id),
        limits.storable(delivery.event_type, limits.EVENT_TYPE),
        body.decode(),
        connection.ops.adapt_datetimefield_value(now),
    ]
    backend = process_webhook_delivery.get_backend()
    if connection.vendor == "postgresql" and isinstance(backend, DatabaseBackend):
        task = process_webhook_delivery
        params += [uuid.uuid4(), now, task.priority, task.module_path, task.queue_name]
        params += [backend.alias, get_date_max()]
        with connection.cursor() as cursor:
            cursor.execute(_ACCEPT_AND_ENQUEUE_SQL, params)
            row = cursor.fetchone()
        return row[0] if row is not None else None
    with transaction.atomic():  # elsewhere: the library's enqueue, in the same transaction
        with connection.cursor() as cursor:
            cursor.execute(_ACCEPT_SQL, params)
            row = cursor.fetchone()
        if row is not None:
            process_webhook_delivery.enqueue(row[0])
    return row[0] if row is not None else None


def process_delivery(delivery_id: int) -> str:
    """Take one accepted delivery into the Inbox, once; what happened, in a word or two."""
    try:
        return _process(delivery_id)
    except TRANSIENT:
        raise  # the database went away: the task is retried (cyan.task_recovery)
    except Exception as exc:
        logger.exception("Webhook delivery %s could not be processed", delivery_id)
        return _keep_failure(delivery_id, exc)


def _process(delivery_id: int) -> str:
    with transaction.atomic():
        delivery = _locked(delivery_id)
        if delivery is None:
            return "gone"
        if delivery.processed_at is not None:
            return "processed already"
        receipt = take_in(
            studio=delivery.studio,
            provider=delivery.provider,
            account_id=delivery.account_id,
            raw=_order_document(delivery),
            raw_payload=delivery.body,
            channel=InboxDelivery.Channel.WEBHOOK,
            delivery_key=delivery.delivery_key,
            event_type=delivery.event_type,
            link=delivery.link,
        )
        _mark_processed(delivery, receipt, error="")
    return "duplicate" if receipt.duplicate_delivery else "taken in"


def _locked(delivery_id: int) -> WebhookDelivery | None:
    """The delivery, its row locked so a second task for it waits and then sees it done."""
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is not None and delivery.processed_at is None:
        # Loaded apart: FOR UPDATE cannot take the nullable side of a join (the link).
        delivery.studio  # noqa: B018
        delivery.link  # noqa: B018
    return delivery


def _order_document(delivery: WebhookDelivery) -> Any:
    """The order inside the stored body, read as the webhook view read it (the view
    verified it is a JSON object)."""
    payload = json.loads(delivery.body)
    return providers.get(delivery.provider).order_in_delivery(payload)


def _mark_processed(delivery: WebhookDelivery, receipt: Receipt, *, error: str) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        processed_at=timezone.now(), item=receipt.item, error=error
    )


def _keep_failure(delivery_id: int, exc: Exception) -> str:
    """Cyan failed on this delivery (not the provider's document: the mapper's refusals
    are items already). The reason is kept on the delivery, which the Inbox shows as
    arriving with it; the sweep tries again, and the last try keeps the body as a
    "needs attention" item so the studio sees it."""
    first_line = (str(exc).strip().splitlines() or [""])[0]
    reason = limits.storable(
        f"could not be processed: {type(exc).__name__}: {first_line}", limits.ITEM_ERROR
    )
    with transaction.atomic():
        delivery = _locked(delivery_id)
        if delivery is None or delivery.processed_at is not None:
            return "processed already"
        if delivery.attempts + 1 < MAX_ATTEMPTS:
            WebhookDelivery.objects.filter(pk=delivery_id).update(error=reason)
            return "failed, will retry"
        receipt = receive_unreadable(
            studio=delivery.studio,
            source=delivery.provider,
            account_id=delivery.account_id,
            raw_payload=delivery.body,
            error=reason,
            channel=InboxDelivery.Channel.WEBHOOK,
            delivery_key=delivery.delivery_key,
            event_type=delivery.event_type,
        )
        _mark_processed(delivery, receipt, error=reason)
    return "kept as needs attention"


def sweep_waiting_deliveries(*, now: datetime | None = None, limit: int = 500) -> int:
    """Enqueue again the deliveries accepted more than WAITING_GRACE ago and still not
    processed whose task is neither waiting nor running; how many. One that has used its
    MAX_ATTEMPTS tries is kept as "needs attention" instead, so none waits for ever.

    One statement reads both (an anti-join on the task table), so it sees one moment: a
    task marks its delivery processed before it is marked done itself, hence a delivery
    unprocessed in that moment whose task is not live has truly lost its task (read in
    two statements, a task finishing in between looked lost and was enqueued twice).
    Every worker process sweeps: each claim is a compare-and-set on `attempts`, so two
    sweeps that read the same orphan enqueue it once."""
    from inbox.tasks import process_webhook_delivery

    cutoff = (now or timezone.now()) - WAITING_GRACE
    orphans = list(
        WebhookDelivery.objects.filter(processed_at__isnull=True, received_at__lt=cutoff)
        .exclude(Exists(_live_tasks().filter(delivery_id=OuterRef("pk"))))
        .order_by("id")
        .values_list("pk", "attempts")[:limit]
    )
    enqueued = 0
    for delivery_id, attempts in orphans:
        if attempts >= MAX_ATTEMPTS:
            _give_up(delivery_id, attempts)
            continue
        with transaction.atomic():
            if claim_try(delivery_id, seen_attempts=attempts):
                process_webhook_delivery.enqueue(delivery_id)
                enqueued += 1
    if enqueued:
        logger.info("Intake sweep re-enqueued %s waiting webhook deliveries", enqueued)
    return enqueued


def claim_try(delivery_id: int, *, seen_attempts: int) -> bool:
    """Count one more try, only if nobody has since the sweep read `seen_attempts`
    (compare-and-set): of two sweeps that saw the same orphan, one enqueues it."""
    return bool(
        WebhookDelivery.objects.filter(
            pk=delivery_id, processed_at__isnull=True, attempts=seen_attempts
        ).update(attempts=F("attempts") + 1)
    )


def _give_up(delivery_id: int, attempts: int) -> None:
    """Its tries ended without it being taken in (the worker died on it, or the database
    kept failing): the body becomes a "needs attention" item with the reason."""
    logger.warning(
        "Webhook delivery %s kept as needs attention after %s tries", delivery_id, attempts
    )
    _keep_failure(delivery_id, RuntimeError(f"{attempts} tries ended without taking it in"))


def _live_tasks() -> QuerySet[DBTaskResult]:
    """Intake tasks READY or RUNNING, with the delivery id they take (django-tasks-db's
    table, which exists whatever backend the settings name)."""
    from inbox.tasks import process_webhook_delivery

    first_arg = KeyTextTransform("0", KeyTransform("args", "args_kwargs"))
    return DBTaskResult.objects.filter(
        task_path=process_webhook_delivery.module_path, status__in=["READY", "RUNNING"]
    ).annotate(delivery_id=Cast(first_arg, BigIntegerField()))


def prune_processed_deliveries(*, older_than: timedelta) -> int:
    """Delete raw deliveries processed more than `older_than` ago; returns how many.
    Their body lives on in the Inbox item, and a late resend of one is still recognised
    by the item's own delivery key (inbox.intake), so nothing is taken in twice.
    Unprocessed deliveries are never touched: they are an order still on its way."""
    cutoff = timezone.now() - older_than
    deleted, _ = WebhookDelivery.objects.filter(processed_at__lt=cutoff).delete()
    return deleted
