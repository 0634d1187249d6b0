"""``manage.py place_orders --account EMAIL --count N [--seed S]``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from standin import generator, orders, serializers
from standin.models import Account


class Command(BaseCommand):
    help = "Place N realistic random orders in an account's galleries (webhooks are queued)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", required=True, help="photographer email")
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--currency", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        account = Account.objects.filter(user__username=options["account"].lower()).first()
        if account is None:
            raise CommandError(f"No account {options['account']}.")
        try:
            placed = generator.place_random_orders(
                account=account,
                count=options["count"],
                seed=options["seed"],
                currency=options["currency"].upper(),
            )
        except orders.OrderError as exc:
            raise CommandError(exc.message) from None
        for order in placed:
            data = serializers.order_json(order)
            client = data["client"]
            self.stdout.write(
                f"{data['id']} {data['number']} {data['currency']} {data['total']:>10} "
                f"{client['first_name']} {client['last_name']} <{client['email']}>"
            )
