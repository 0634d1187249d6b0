"""``manage.py place_orders``: random orders for a studio, from the command line."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from spstandin import generator, orders
from spstandin.models import Account


class Command(BaseCommand):
    help = "Place random (seeded) orders at a studio's brand."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=settings.SHOOTPROOF_DEMO_EMAIL)
        parser.add_argument("--brand", type=int, help="brand id (default: the first brand)")
        parser.add_argument("--count", type=int, default=5)
        parser.add_argument("--seed", type=int)
        parser.add_argument("--currency", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        account = Account.objects.filter(user__username=options["email"].lower()).first()
        if account is None:
            raise CommandError(f"No studio with the email {options['email']}.")
        brands = account.brands.order_by("id")
        brand = brands.filter(id=options["brand"]).first() if options["brand"] else brands.first()
        if brand is None:
            raise CommandError(f"No brand {options['brand']} in that studio.")
        events = list(brand.events.order_by("id"))
        if not events:
            raise CommandError(f"The brand {brand.name} has no events.")
        try:
            placed = generator.place_random_orders(
                events=events,
                count=options["count"],
                seed=options["seed"],
                currency=options["currency"],
            )
        except orders.OrderError as exc:
            raise CommandError(exc.message) from None
        for order in placed:
            self.stdout.write(
                f"{order.id}  {order.customer_name}  {order.fmt(order.total_minor)}"
                f"  ({order.payment_status})"
            )
