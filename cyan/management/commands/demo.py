from django.core.management.base import BaseCommand

from cyan.cli import DEMO_EMAIL, DEMO_PASSWORD
from cyan.demo import demo_exists, load_demo


class Command(BaseCommand):
    help = "Load the demo studio (~200 contacts, ~80 shoots, ~300 sales in two currencies)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if it exists.")
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: object, if_empty: bool, email: str, password: str, **opts: object):
        if demo_exists(email):
            if if_empty:
                return
            self.stderr.write(f"A user {email} already exists; the demo was not loaded again.")
            return
        studio = load_demo(email=email, password=password)
        self.stdout.write(f"Loaded the demo studio '{studio.name}'. Log in as {email} / {password}")
