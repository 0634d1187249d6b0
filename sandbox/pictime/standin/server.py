"""Gunicorn, embedded: one worker process with threads, plus the webhook delivery thread.

One process on purpose: the delivery thread and the fault-injection mode then have a
single owner, and SQLite sees one writer process."""

from __future__ import annotations

from typing import Any

from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication

_worker_thread = None


def _start_delivery(worker: Any) -> None:
    global _worker_thread
    from .delivery import start_worker

    _worker_thread = start_worker()


def _stop_delivery(server: Any, worker: Any) -> None:
    if _worker_thread is not None:
        _worker_thread.stop()


class StandinServer(BaseApplication):
    def __init__(self, *, host: str, port: int, threads: int, worker: bool) -> None:
        self.settings_map: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": 60,
            "graceful_timeout": 5,
            "keepalive": 5,
            "accesslog": "-",
            "proc_name": "pictime-standin",
            "control_socket_disable": True,
        }
        if worker:
            self.settings_map["post_worker_init"] = _start_delivery
            self.settings_map["worker_exit"] = _stop_delivery
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings_map.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()
