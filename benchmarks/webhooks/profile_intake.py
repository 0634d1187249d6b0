"""The intake's CPU per order, measured in-process: this process (Django, the worker's
code) and its PostgreSQL backend, with no gunicorn and nothing else running.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks CYAN_DEBUG=false \\
        .venv/bin/python benchmarks/webhooks/profile_intake.py --orders 300 --mode batch

Run after `run.py --only cyan --no-worker` (it needs accepted deliveries still waiting,
with their intake tasks). `--mode task` runs them as the intake did before batching:
the library's loop, one task (one delivery) at a time; `--mode batch` runs the intake
thread's batches (cyan/intake_worker.py). `--profile` adds a cProfile listing.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

from dbtool import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--mode", choices=("task", "batch"), default="batch")
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    setup_django()
    import servers
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    import inbox.batch_intake
    import inbox.tasks  # noqa: F401  (imported before measuring, as in a running worker)
    from cyan.intake_worker import IntakeWorker
    from cyan.worker import ResilientWorker
    from galleries import providers
    from inbox.models import WebhookDelivery

    providers.get("pictime")
    waiting = WebhookDelivery.objects.filter(processed_at__isnull=True).count()
    if waiting < args.orders:
        sys.exit(f"only {waiting} deliveries wait; run run.py --only cyan --no-worker first")
    options = {
        "queue_names": ["intake"], "interval": 0.0, "batch": True, "backend_name": "default",
        "startup_delay": False, "max_tasks": args.orders, "worker_id": f"prof-{args.mode}",
        "excluded_queue_names": [],
    }  # fmt: skip
    if args.mode == "task":
        worker = ResilientWorker(**options)
        run = lambda: Worker.run(worker)  # noqa: E731
    else:
        worker = IntakeWorker(batch_size=args.batch_size, **options)
        run = worker.loop
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    backend = connection.cursor().connection.info.backend_pid
    before = WebhookDelivery.objects.filter(processed_at__isnull=True).count()
    profiler = cProfile.Profile() if args.profile else None
    db_before, cpu_before, started = (
        servers.cpu_seconds([backend]),
        time.process_time(),
        time.perf_counter(),
    )
    with connection.execute_wrapper(count):
        if profiler:
            profiler.enable()
        run()
        if profiler:
            profiler.disable()
    wall = time.perf_counter() - started
    app = time.process_time() - cpu_before
    db = servers.cpu_seconds([backend]) - db_before
    done = before - WebhookDelivery.objects.filter(processed_at__isnull=True).count()
    ms = lambda s: 1000 * s / max(done, 1)  # noqa: E731
    print(
        f"{args.mode} (batch {args.batch_size if args.mode == 'batch' else 1}): {done} orders in"
        f" {wall:.2f} s = {done / wall:.0f}/s; CPU per order: app {ms(app):.2f} + postgres"
        f" {ms(db):.2f} = {ms(app + db):.2f} ms (≤ {done / max(app + db, 1e-9):.0f} orders/s per"
        f" core); {queries[0] / max(done, 1):.1f} queries per order"
    )
    if profiler:
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
