"""Invoice numbers under concurrency: real simultaneous transactions (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from invoicing import services
from invoicing.models import Invoice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real concurrent transactions"
    ),
]
THREADS = 16


def test_sixteen_users_invoicing_at_once_get_sixteen_consecutive_numbers(studio, make_sale):
    services.update_preferences(studio=studio, next_invoice_number=100)
    sales = [make_sale() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def press(sale) -> None:
        try:
            barrier.wait(timeout=30)
            services.create_invoice(sale=sale)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(sale,)) for sale in sales]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert numbers == list(range(100, 100 + THREADS))
    assert services.settings_row(studio=studio).next_invoice_number == 100 + THREADS
