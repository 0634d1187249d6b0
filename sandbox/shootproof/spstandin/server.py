"""Gunicorn, embedded: one worker process with threads (SQLite sees one writer process,
and a slow fault only holds the thread that serves it)."""

from __future__ import annotations

from typing import Any

from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication


class StandinServer(BaseApplication):
    def __init__(self, *, host: str, port: int, threads: int) -> None:
        self.settings_map: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 120,
            "graceful_timeout": 5,
            "keepalive": 5,
            "accesslog": "-",
            "proc_name": "shootproof-standin",
            "control_socket_disable": True,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings_map.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()
