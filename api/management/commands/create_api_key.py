"""`cyan create-api-key --email OWNER_EMAIL`: print a new API key for that user's studio.

Only the key goes to stdout, so scripts can capture it: KEY=$(cyan create-api-key --email …).
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.services import generate_api_key


class Command(BaseCommand):
    help = "Generate an API key for the studio of the user with this email; prints only the key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Email of a user of the studio.")
        parser.add_argument("--name", default="API key", help="A name to recognise the key by.")

    def handle(self, *args: object, **options: str) -> None:
        email = options["email"].strip()
        user = User.objects.select_related("studio").filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the email {email!r}.")
        if user.studio is None:
            raise CommandError(f"{email} does not belong to a studio.")
        _api_key, raw = generate_api_key(studio=user.studio, name=options["name"])
        self.stdout.write(raw)
