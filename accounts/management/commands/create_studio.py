from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError

from accounts.services import create_studio
from core.money import MoneyError


class Command(BaseCommand):
    help = "Create a studio and its owner (who logs in with the email and password)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--country", default="US")
        parser.add_argument("--time-zone", default="UTC")

    def handle(self, *args: object, **options: str) -> None:
        try:
            validate_email(options["email"])
            studio, owner = create_studio(
                name=options["name"],
                owner_email=options["email"],
                owner_password=options["password"],
                default_currency=options["currency"],
                country=options["country"],
                time_zone=options["time_zone"],
            )
        except (ValidationError, MoneyError) as exc:
            raise CommandError(
                f"Not created: {'; '.join(getattr(exc, 'messages', [str(exc)]))}"
            ) from exc
        except IntegrityError as exc:
            raise CommandError(f"Not created: a user {options['email']} already exists.") from exc
        self.stdout.write(f"Created studio '{studio.name}' (id {studio.pk}); owner {owner.email}.")
