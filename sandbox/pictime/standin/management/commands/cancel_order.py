"""``manage.py cancel_order ORDER_ID [--no-refund]``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standin import orders
from standin.models import Order


class Command(BaseCommand):
    help = "Cancel an order; what is left of the payment is refunded (sends order.cancelled)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("order_id")
        parser.add_argument("--no-refund", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        order = Order.objects.filter(public_id=options["order_id"]).first()
        if order is None:
            raise CommandError(f"No order {options['order_id']}.")
        try:
            order = orders.cancel_order(order=order, refund=not options["no_refund"])
        except orders.OrderError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{order.public_id} cancelled ({order.payment_status})")
