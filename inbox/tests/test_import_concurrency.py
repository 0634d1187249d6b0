"""Two users pressing Import at the same moment get one sale (row lock on the item, and
the sale's unique (source, external_ref) behind it)."""

import threading

import pytest
from django.db import connection, connections

from contacts.services import create_contact
from inbox.importing import import_item
from inbox.models import InboxItem
from sales.models import Sale
from testkit.factories import receive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
def test_two_simultaneous_imports_make_one_sale(studio):
    create_contact(
        studio=studio, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )
    item = receive(studio)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def press_import() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(import_item(item=InboxItem.objects.get(pk=item.pk)).pk)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Sale.objects.count() == 1
