"""``manage.py serve``: migrate, set up the "Cyan" client and the demo, then serve."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from standin import bootstrap, delivery
from standin.server import StandinServer


class Command(BaseCommand):
    help = "Serve the Pic-Time stand-in (web + webhook delivery) until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.PICTIME_PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("PICTIME_THREADS", 8))
        )
        parser.add_argument("--no-worker", action="store_true", help="do not send webhooks")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if "PICTIME_BASE_URL" not in os.environ:
            public_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            settings.PICTIME_BASE_URL = f"http://{public_host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        app, account = bootstrap.ensure_all()
        reset = delivery.reset_interrupted()
        connections.close_all()
        self.stdout.write(
            f"Pic-Time stand-in on {settings.PICTIME_BASE_URL}  (db {settings.PICTIME_DB})\n"
            f"  OAuth client '{app.name}' id={app.client_id} redirect URIs: {app.redirect_uris}\n"
            f"  demo login: {account.email} / {settings.PICTIME_DEMO_PASSWORD}"
            + (f"\n  requeued {reset} interrupted deliveries" if reset else "")
        )
        self.stdout.flush()
        worker = settings.PICTIME_WORKER_ENABLED and not options["no_worker"]
        StandinServer(host=host, port=port, threads=options["threads"], worker=worker).run()
