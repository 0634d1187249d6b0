"""Liveness answers while the process runs; readiness tells the truth about each part."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cyan.health import SCHEDULER_HEARTBEAT_KEY
from events.tasks import deliver_due_task

BEAT = 10


def test_liveness_needs_no_database(client):
    # No django_db mark: pytest-django raises on any database access.
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


@pytest.fixture
def scheduler_beating(settings):
    settings.CYAN_SCHEDULER_BEAT_SECONDS = BEAT
    cache.set(SCHEDULER_HEARTBEAT_KEY, {"holder": "host-a:123", "at": time.time()}, None)
    yield
    cache.delete(SCHEDULER_HEARTBEAT_KEY)


@pytest.mark.django_db
def test_ready_when_every_part_answers(client, scheduler_beating):
    for path in ("/ready", "/health/ready"):
        response = client.get(path)
        body = response.json()
        assert response.status_code == 200, body
        assert body["status"] == "ok"
        assert {name: check["status"] for name, check in body["checks"].items()} == {
            "database": "ok",
            "migrations": "ok",
            "cache": "ok",
            "queue": "ok",
            "scheduler": "ok",
        }
        assert body["checks"]["scheduler"]["holder"] == "host-a:123"
        assert body["checks"]["scheduler"]["max_age_seconds"] == 3 * BEAT


@pytest.mark.django_db
def test_not_ready_without_a_scheduler_heartbeat(client, settings):
    cache.delete(SCHEDULER_HEARTBEAT_KEY)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["scheduler"] == {
        "status": "fail",
        "error": "no scheduler heartbeat",
        "max_age_seconds": 3 * settings.CYAN_SCHEDULER_BEAT_SECONDS,
    }


@pytest.mark.django_db
def test_a_heartbeat_older_than_three_beats_fails_and_names_the_holder(client, settings):
    settings.CYAN_SCHEDULER_BEAT_SECONDS = BEAT
    cache.set(SCHEDULER_HEARTBEAT_KEY, {"holder": "host-b:7", "at": time.time() - 3 * BEAT - 5})
    scheduler = client.get("/ready").json()["checks"]["scheduler"]
    assert scheduler["status"] == "fail"
    assert scheduler["holder"] == "host-b:7"
    assert scheduler["age_seconds"] >= 3 * BEAT + 5
    cache.set(SCHEDULER_HEARTBEAT_KEY, {"holder": "host-b:7", "at": time.time() - 2 * BEAT})
    assert client.get("/ready").json()["checks"]["scheduler"]["status"] == "ok"


@pytest.mark.django_db
def test_the_queue_fails_when_its_oldest_ready_task_waited_too_long(
    client, settings, scheduler_beating, database_tasks, django_capture_on_commit_callbacks
):
    settings.CYAN_QUEUE_MAX_LAG_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        result = deliver_due_task.enqueue()
    fresh = client.get("/ready").json()["checks"]["queue"]
    assert (fresh["status"], fresh["ready"]) == ("ok", 1)
    assert fresh["lag_seconds"] < 60

    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(seconds=90)
    )
    response = client.get("/ready")
    queue = response.json()["checks"]["queue"]
    assert response.status_code == 503
    assert queue["status"] == "fail"
    assert queue["lag_seconds"] >= 90
    assert queue["queues"]["default"]["ready"] == 1


@pytest.mark.django_db
def test_a_task_delayed_into_the_future_is_no_backlog(
    client, scheduler_beating, database_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver_due_task.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    queue = client.get("/ready").json()["checks"]["queue"]
    assert (queue["status"], queue["ready"]) == ("ok", 0)


@pytest.mark.django_db
def test_only_the_checks_asked_for(client):
    cache.delete(SCHEDULER_HEARTBEAT_KEY)
    response = client.get("/ready?check=database&check=cache")
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache"}
    assert client.get("/ready?check=nonsense").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_not_ready_while_a_migration_is_missing(client, scheduler_beating):
    call_command("migrate", "cyan", "zero", verbosity=0)
    try:
        response = client.get("/ready?check=database&check=migrations")
    finally:
        call_command("migrate", "cyan", verbosity=0)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    cyan_migrations = sum(app == "cyan" for app, _ in MigrationLoader(None).disk_migrations)
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["migrations"]["unapplied"] == cyan_migrations
    assert client.get("/ready?check=database&check=migrations").status_code == 200
