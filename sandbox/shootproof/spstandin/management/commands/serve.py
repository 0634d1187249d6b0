"""``manage.py serve``: migrate, set up the "Cyan" client and the demo studio, then serve."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from spstandin import bootstrap
from spstandin.server import StandinServer


class Command(BaseCommand):
    help = "Serve the ShootProof stand-in until SIGTERM/SIGINT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=settings.SHOOTPROOF_PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("SHOOTPROOF_THREADS", 8))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if "SHOOTPROOF_BASE_URL" not in os.environ:
            public_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            settings.SHOOTPROOF_BASE_URL = f"http://{public_host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        app, account = bootstrap.ensure_all()
        brands = ", ".join(f"{b.name} ({b.id})" for b in account.brands.order_by("id"))
        connections.close_all()
        self.stdout.write(
            f"ShootProof stand-in on {settings.SHOOTPROOF_BASE_URL}  "
            f"(db {settings.SHOOTPROOF_DB})\n"
            f"  OAuth client '{app.name}' id={app.client_id} redirect URIs: {app.redirect_uris}\n"
            f"  demo login: {account.email} / {settings.SHOOTPROOF_DEMO_PASSWORD}"
            f"  brands: {brands}"
        )
        self.stdout.flush()
        StandinServer(host=host, port=port, threads=options["threads"]).run()
