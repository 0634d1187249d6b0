"""`cyan scheduler`: the elected process that enqueues the periodic jobs (cyan/scheduler.py).
Run one or more copies: one leads, the others stand by and take over when it dies."""

import signal

from django.core.management.base import BaseCommand

from cyan.scheduler import Scheduler


class Command(BaseCommand):
    help = "Enqueue periodic jobs; one copy among many leads (the others stand by)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--beat", type=float, default=None, help="seconds (CYAN_SCHEDULER_BEAT_SECONDS)"
        )

    def handle(self, *args: object, **options: object) -> None:
        scheduler = Scheduler(beat=options["beat"])  # type: ignore[arg-type]
        signal.signal(signal.SIGTERM, scheduler.stop)
        signal.signal(signal.SIGINT, scheduler.stop)
        self.stdout.write(f"Scheduler {scheduler.holder} starting.")
        self.stdout.flush()
        scheduler.run()
