"""Structured logs: a request id on every request's lines, the task id on a task's lines,
and JSON when CYAN_LOG_FORMAT=json — with cyan/log_redaction.py applied to every field.

- `RequestIdMiddleware` takes the request's X-Request-ID when it is sane (letters,
  digits and `._:-`, at most 128: an id, never a place to smuggle text into the logs),
  else makes one; echoes it in the response's X-Request-ID; logs one `cyan.request`
  line per request (method, route name, status, milliseconds: never the path or query).
- `ContextFilter` (on every handler) puts `request_id` and `task_id` on each record;
  gunicorn's access lines get the request id from the response header.
- The worker's task id comes from django.tasks' task_started/task_finished signals.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

from cyan.log_redaction import redact

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
request_id: ContextVar[str] = ContextVar("request_id", default="")
task_id: ContextVar[str] = ContextVar("task_id", default="")
request_logger = logging.getLogger("cyan.request")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = incoming_request_id(request) or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = rid
            _log_request(request, response.status_code, started)
            return response
        finally:
            request_id.reset(token)


def incoming_request_id(request: HttpRequest) -> str:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if SANE_REQUEST_ID.match(given) else ""


def _log_request(request: HttpRequest, status: int, started: float) -> None:
    if not request_logger.isEnabledFor(logging.INFO):
        return  # plain logs: gunicorn's access line is the request line
    from cyan.metrics import route_name

    request_logger.info(
        "%s %s %s",
        request.method,
        route_name(request),
        status,
        extra={
            "method": request.method,
            "route": route_name(request),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or _access_log_request_id(record)
        record.task_id = task_id.get()
        return True


def _access_log_request_id(record: logging.LogRecord) -> str:
    """Gunicorn writes its access line after the response left Cyan: the id is in the
    response's headers, which gunicorn's atoms answer as `{x-request-id}o`."""
    if record.name != "gunicorn.access" or not isinstance(record.args, dict):
        return ""
    try:
        value = record.args["{x-request-id}o"]
    except (KeyError, TypeError):
        return ""
    return value if isinstance(value, str) and SANE_REQUEST_ID.match(value) else ""


class RedactedJsonFormatter(JsonFormatter):
    """One JSON object per line. Every string in it goes through `redact` (extra fields
    and tracebacks included); objects that are not JSON (Django's `request` on its
    records) are named by type only, never printed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args:
            kwargs.setdefault("fmt", JSON_FIELDS)
        kwargs.setdefault("json_default", _named_by_type)
        kwargs.setdefault("timestamp", True)
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: _redacted(value) for key, value in log_data.items() if value != ""}


def _named_by_type(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return f"<{type(value).__name__}>"


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v) for v in value]
    return value


def on_task_started(sender: object, task_result: Any, **kwargs: Any) -> None:
    task_id.set(str(task_result.id))


def on_task_finished(sender: object, task_result: Any, **kwargs: Any) -> None:
    task_id.set("")


def connect_task_signals() -> None:
    from django.tasks.signals import task_finished, task_started

    task_started.connect(on_task_started, dispatch_uid="cyan.logs.task_started")
    task_finished.connect(on_task_finished, dispatch_uid="cyan.logs.task_finished")


def format_gunicorn_logs(json_logs: bool) -> None:
    """Gunicorn owns its loggers' handlers: give them the context filter, and the JSON
    formatter when logs are JSON (called from CyanConfig.ready, after gunicorn set up)."""
    for name in ("gunicorn.access", "gunicorn.error"):
        gunicorn_logger = logging.getLogger(name)
        gunicorn_logger.addFilter(ContextFilter())
        if json_logs:
            for handler in gunicorn_logger.handlers:
                handler.setFormatter(RedactedJsonFormatter())


JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s %(task_id)s %(process)d"
