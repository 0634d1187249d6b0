"""Structured logs in-process: the request id, the task id, and redaction in JSON."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.tasks import task
from django_tasks_db.models import DBTaskResult

from cyan.log_redaction import RedactingFilter
from cyan.logs import ContextFilter, RedactedJsonFormatter

task_logger = logging.getLogger("cyan.tests.task")


@task()
def logging_task() -> None:
    task_logger.warning("inside the task")


@pytest.fixture
def json_lines():
    """What Cyan's console handler writes with CYAN_LOG_FORMAT=json, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactedJsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def test_a_sane_request_id_is_kept_and_echoed(client, json_lines):
    response = client.get("/health", HTTP_X_REQUEST_ID="edge-42.a:b")
    assert response["X-Request-ID"] == "edge-42.a:b"


@pytest.mark.parametrize("given", ["", "has space", "ann@example.com", "x" * 129, "a\nb"])
def test_anything_else_is_replaced_by_a_new_id(client, given):
    response = client.get("/health", HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db(transaction=True)
def test_a_task_s_lines_carry_its_task_id(settings, json_lines):
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    result = logging_task.enqueue()
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="w-logs", excluded_queue_names=[],
    )  # fmt: skip
    worker.run_task(DBTaskResult.objects.get(id=result.id))
    line = next(line for line in json_lines() if line["message"] == "inside the task")
    assert line["task_id"] == str(result.id)
    task_logger.warning("after the task")
    after = next(line for line in json_lines() if line["message"] == "after the task")
    assert "task_id" not in after


def test_extra_fields_and_tracebacks_are_redacted_too(json_lines):
    try:
        raise ValueError("could not reach ann@example.com with Bearer cyan_ab12cd34_s3cret")
    except ValueError:
        logging.getLogger("cyan.tests").exception(
            "failed", extra={"target": "https://h/x?token=s3cret", "who": "ann@example.com"}
        )
    (line,) = [line for line in json_lines() if line["message"] == "failed"]
    text = json.dumps(line)
    assert "s3cret" not in text and "ann@example.com" not in text
    assert line["who"] == "[email]" and line["target"] == "https://h/x?token=[redacted]"
