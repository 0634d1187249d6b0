"""`cyan worker`: the background worker (django-tasks-db's db_worker), with gallery polling
seeded so the safety net runs every CYAN_POLL_INTERVAL_SECONDS without another process."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from inbox.tasks import ensure_polling_scheduled


class Command(BaseCommand):
    help = "Run background tasks (and keep the gallery polling safety net scheduled)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: object, interval: float, **options: object) -> None:
        if ensure_polling_scheduled():
            self.stdout.write("Scheduled the gallery polling safety net.")
        call_command("db_worker", interval=interval)
