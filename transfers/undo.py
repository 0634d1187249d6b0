"""Undo an import (within UNDO_DAYS): remove what it created, put merged contacts back.

Rows are undone last line first (a later row may have merged into a contact an earlier
row created). What a later change prevents is kept and said, one line per row:
a contact the import created that now has sales or shoots or was edited since, a sale
or shoot changed since the import, a merged contact whose fields were edited since (the
edit is kept). Of a merged contact's tags, only those the import added are removed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contacts import services as contact_services
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
from sales import services as sale_services
from sales.models import Sale
from shoots import services as shoot_services
from shoots.models import Shoot
from transfers.models import ImportBatch, ImportRow

UNDO_DAYS = 30
_DETAILS = {"email": ContactEmail, "phone": ContactPhone, "address": ContactAddress}


def can_undo(batch: ImportBatch, now: dt.datetime | None = None) -> str:
    """Why this batch cannot be undone ("" when it can)."""
    if batch.status != ImportBatch.Status.DONE and not (
        batch.status == ImportBatch.Status.FAILED and batch.started_at
    ):
        return "Only an import that ran can be undone."
    finished = batch.finished_at or batch.started_at
    if finished and (now or timezone.now()) - finished > dt.timedelta(days=UNDO_DAYS):
        return f"Imports can be undone for {UNDO_DAYS} days; this one ran on {finished:%Y-%m-%d}."
    return ""


@transaction.atomic
def undo_batch(*, batch: ImportBatch) -> list[str]:
    """Undo the batch; returns (and keeps on the batch) what could not be undone."""
    batch = ImportBatch.objects.select_for_update().select_related("studio").get(pk=batch.pk)
    if reason := can_undo(batch):
        raise ValidationError(reason)
    kept: list[str] = []
    since = batch.finished_at or timezone.now()
    rows = ImportRow.objects.filter(batch=batch, done=True).exclude(
        outcome__in=["problem", "skipped"]
    )
    for row in rows.order_by("-line"):
        kept.extend(_undo_row(batch, row, since))
    batch.status, batch.undone_at, batch.undo_report = (
        ImportBatch.Status.UNDONE,
        timezone.now(),
        kept,
    )
    batch.save(update_fields=["status", "undone_at", "undo_report"])
    return kept


def _undo_row(batch: ImportBatch, row: ImportRow, since: dt.datetime) -> list[str]:
    kept: list[str] = []
    studio = batch.studio
    for sale in Sale.objects.for_studio(studio).filter(pk__in=row.created_ids.get("sale", [])):
        if sale.updated_at > since or sale.payments.exists() or sale.refunds.exists():
            kept.append(
                f"Line {row.line}: sale #{sale.pk} was changed after the import, so it was kept."
            )
        else:
            sale_services.delete_sale(sale=sale)
    for shoot in Shoot.objects.for_studio(studio).filter(pk__in=row.created_ids.get("shoot", [])):
        if shoot.sales.exists() or shoot.updated_at > since:
            kept.append(
                f"Line {row.line}: shoot “{shoot.title}” has sales or was changed after the "
                "import, so it was kept."
            )
        else:
            shoot_services.delete_shoot(shoot=shoot)
    if row.merged_contact_id:
        kept.extend(_unmerge(batch, row))
    for contact in Contact.objects.for_studio(studio).filter(
        pk__in=row.created_ids.get("contact", [])
    ):
        sales, shoots = contact.sales.count(), contact.shoot_links.count()
        if not (sales or shoots) and contact.updated_at > since:
            kept.append(
                f"Line {row.line}: {contact.display_name} was edited after the import, "
                "so the contact was kept."
            )
        elif sales or shoots:
            what = " and ".join(p for p in (_plural(sales, "sale"), _plural(shoots, "shoot")) if p)
            kept.append(
                f"Line {row.line}: {contact.display_name} now has {what}, so the contact was kept."
            )
        else:
            contact_services.delete_contact(contact=contact)
    return kept


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


def _unmerge(batch: ImportBatch, row: ImportRow) -> list[str]:
    contact = Contact.objects.for_studio(batch.studio).filter(pk=row.merged_contact_id).first()
    if contact is None:
        return [f"Line {row.line}: the contact it merged into no longer exists."]
    for name, model in _DETAILS.items():
        model.objects.filter(contact=contact, pk__in=row.created_ids.get(name, [])).delete()
    before, after = row.before, row.before.get("after", {})
    changes, kept = {}, []
    for name in ("first_name", "last_name", "company", "notes"):
        if getattr(contact, name) == after.get(name, getattr(contact, name)):
            if before.get(name) != getattr(contact, name):
                changes[name] = before.get(name, "")
        else:
            kept.append(
                f"Line {row.line}: {contact.display_name}'s {name.replace('_', ' ')} was "
                "edited after the import; the edit was kept."
            )
    added_tags = set(row.created_ids.get("tag", []))
    current = dict(contact.tags.values_list("pk", "name"))
    if added_tags & set(current):  # tags added since the import stay
        changes["tags"] = [name for pk, name in current.items() if pk not in added_tags]
    if changes:
        try:
            contact_services.update_contact(contact=contact, **changes)
        except ValidationError as exc:
            kept.append(
                f"Line {row.line}: {contact.display_name} could not be put back "
                f"({'; '.join(exc.messages)})."
            )
    return kept
