"""``manage.py refund_order ORDER_ID [--amount X] [--reason TEXT]``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standin import money, orders, serializers
from standin.models import Order


class Command(BaseCommand):
    help = "Refund an order in full, or --amount of it (sends order.refunded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("order_id")
        parser.add_argument("--amount", default=None, help="e.g. 10.00; default: all that is left")
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        order = Order.objects.filter(public_id=options["order_id"]).first()
        if order is None:
            raise CommandError(f"No order {options['order_id']}.")
        try:
            amount = None
            if options["amount"] is not None:
                amount = money.parse(options["amount"], order.currency)
            order = orders.refund_order(order=order, amount=amount, reason=options["reason"])
        except (orders.OrderError, money.MoneyError) as exc:
            raise CommandError(str(exc)) from None
        data = serializers.order_json(order)
        self.stdout.write(
            f"{data['id']} refunded {data['amount_refunded']} ({data['payment_status']})"
        )
