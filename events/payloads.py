"""The `data` of an event: the object exactly as the REST API shows it.

The API's own body functions are the one definition of that JSON, so they are used here
rather than a second copy that could drift. They are imported inside the functions: the
events app sits below every domain app (they call it), and importing the API at module
level would make that a cycle. Each renders from the database inside the caller's
transaction, so the event shows the object as that change left it.
"""

from __future__ import annotations

from typing import Any


def sale_data(sale: Any) -> dict[str, Any]:
    from api.routers.sales import RELATED, sale_body
    from sales.models import Sale

    return sale_body(Sale.objects.prefetch_related(*RELATED).get(pk=sale.pk))


def contact_data(contact: Any) -> dict[str, Any]:
    from api.routers.contacts import RELATED, contact_body
    from contacts.models import Contact

    return contact_body(Contact.objects.prefetch_related(*RELATED).get(pk=contact.pk))


def inbox_item_data(item: Any) -> dict[str, Any]:
    from api.routers.inbox import InboxItemOut, item_body
    from api.schemas import as_json
    from inbox.models import InboxItem

    return as_json(InboxItemOut, item_body(InboxItem.objects.get(pk=item.pk)))


def data_for(event_type: str, subject: Any) -> dict[str, Any]:
    """The data of `event_type` about `subject` (a sale, a contact or an Inbox item)."""
    kind = event_type.partition(".")[0]
    render = {"sale": sale_data, "contact": contact_data, "inbox": inbox_item_data}[kind]
    return render(subject)
