"""`cyan worker`: the background worker that survives outages (see cyan/worker.py), with
the self-rescheduling rounds kept scheduled without another process: the gallery poll
round (every CYAN_POLL_TICK_SECONDS it polls the links that are due, inbox.tasks), the
outgoing-webhook sweep, the payment reminders and the notification emails. A thread of
its own watches the "intake" queue (accepted webhooks, within a second; cyan/worker.py,
start_intake_worker)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from cyan.worker import ResilientWorker, new_worker_id, start_intake_worker
from events.tasks import ensure_sweep_scheduled
from inbox.notices import ensure_notices_scheduled
from inbox.tasks import ensure_polling_scheduled
from invoicing.tasks import ensure_reminders_scheduled


def keep_scheduled() -> None:
    """The self-rescheduling rounds: gallery polling, outgoing webhooks, payment reminders,
    the studio's notification emails."""
    ensure_polling_scheduled()
    ensure_sweep_scheduled()
    ensure_reminders_scheduled()
    ensure_notices_scheduled()


class Command(BaseCommand):
    help = "Run background tasks, riding out database outages (and keep polling scheduled)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--interval", type=float, default=1.0, help="idle poll, seconds")
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME)
        parser.add_argument("--max-backoff", type=float, default=10.0)
        parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds")
        parser.add_argument("--janitor", type=float, default=30.0, help="seconds")

    def handle(self, *args: object, **options: object) -> None:
        worker = ResilientWorker(
            queue_names=str(options["queue_name"]).split(","),
            interval=float(options["interval"]),  # type: ignore[arg-type]
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=new_worker_id(),
            excluded_queue_names=[],
            heartbeat_every=float(options["heartbeat"]),  # type: ignore[arg-type]
            janitor_every=float(options["janitor"]),  # type: ignore[arg-type]
            max_backoff=float(options["max_backoff"]),  # type: ignore[arg-type]
            on_idle=keep_scheduled,
        )
        self.stdout.write(f"Worker {worker.worker_id} starting.")
        worker.configure_signals()
        intake = start_intake_worker(
            worker_id=worker.worker_id, interval=settings.CYAN_INTAKE_INTERVAL_SECONDS
        )
        try:
            worker.run()
        finally:
            intake.stop()
