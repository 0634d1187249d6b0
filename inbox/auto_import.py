"""The studio's "auto-import certain matches": a just-received order whose client is
certainly one contact becomes a sale in the background, once the item has committed."""

from __future__ import annotations

from django.tasks import task

from core.enqueue import enqueue_with_commit
from inbox.importing import import_if_certain
from inbox.models import InboxItem


@task()
def auto_import_task(item_id: int) -> int | None:
    """Import a just-received order when its contact match is certain (studio preference)."""
    item = InboxItem.objects.select_related("studio").filter(pk=item_id).first()
    sale = import_if_certain(item=item) if item is not None else None
    return sale.pk if sale is not None else None


def auto_import_when_enabled(item: InboxItem) -> None:
    """Enqueue the auto-import with the receiving transaction, when the studio asked for
    it: the task commits with the item, so no certain match is left un-imported by a
    crash between the commit and the enqueue."""
    if item.studio.auto_import_certain_matches:
        enqueue_with_commit(auto_import_task, item.pk)
