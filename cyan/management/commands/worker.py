"""`cyan worker`: the background worker that survives outages (see cyan/worker.py).

`--processes N` runs N of them as child processes under a supervisor (cyan/supervise.py):
a child that dies is restarted, SIGTERM or Ctrl-C stops them all. Workers never run a
task twice: django-tasks-db claims each with SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL (on SQLite, IMMEDIATE transactions serialize the claims).

Each worker also watches the "intake" queue (accepted webhooks, within a second) in a
thread of its own (cyan/worker.py, start_intake_worker).

The self-rescheduling rounds (gallery polling, the webhook sweep, reminders, notification
emails) are seeded by `cyan scheduler`; without one running, each worker's janitor seeds
them under the scheduler's lock, so a worker alone still polls (cyan/scheduler.py).
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME

from cyan.scheduler import seed_rounds_unless_a_scheduler_runs
from cyan.supervise import Supervisor
from cyan.worker import ResilientWorker, new_worker_id, start_intake_worker

# The options a child worker gets from `--processes N`'s parent, as given.
PASSED_ON = ("interval", "queue_name", "max_backoff", "heartbeat", "janitor")


class Command(BaseCommand):
    help = "Run background tasks, riding out database outages (and keep polling scheduled)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--interval", type=float, default=1.0, help="idle poll, seconds")
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME)
        parser.add_argument("--max-backoff", type=float, default=10.0)
        parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds")
        parser.add_argument("--janitor", type=float, default=30.0, help="seconds")
        parser.add_argument(
            "--processes", type=int, default=1, help="worker processes, supervised (default 1)"
        )

    def handle(self, *args: object, **options: object) -> None:
        processes = int(options["processes"])  # type: ignore[call-overload]
        if processes < 1:
            raise CommandError(f"--processes must be at least 1, not {processes}.")
        if processes > 1:
            sys.exit(self.supervise(processes, options))
        self.run_one(options)

    def supervise(self, processes: int, options: dict) -> int:
        from cyan.cli import worker_command

        passed = []
        for name in PASSED_ON:
            passed += [f"--{name.replace('_', '-')}", str(options[name])]
        command = [*worker_command(), *passed]
        children = {f"worker-{n}": command for n in range(1, processes + 1)}
        supervisor = Supervisor(children, label="cyan worker")
        supervisor.handle_signals()
        supervisor.start_all()
        return supervisor.run()

    def run_one(self, options: dict) -> None:
        worker = ResilientWorker(
            queue_names=str(options["queue_name"]).split(","),
            interval=float(options["interval"]),
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=new_worker_id(),
            excluded_queue_names=[],
            heartbeat_every=float(options["heartbeat"]),
            janitor_every=float(options["janitor"]),
            max_backoff=float(options["max_backoff"]),
            on_idle=seed_rounds_unless_a_scheduler_runs,
        )
        self.stdout.write(f"Worker {worker.worker_id} starting.")
        self.stdout.flush()
        worker.configure_signals()
        intake = start_intake_worker(
            worker_id=worker.worker_id, interval=settings.CYAN_INTAKE_INTERVAL_SECONDS
        )
        try:
            worker.run()
        finally:
            intake.stop()
