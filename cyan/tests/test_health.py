"""Liveness answers while the process runs; readiness tells the truth about the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader


def test_liveness_needs_no_database(client):
    # No django_db mark: pytest-django raises on any database access.
    response = client.get("/health")
    assert (response.status_code, response.json()) == (200, {"ok": True})


@pytest.mark.django_db
def test_ready_when_the_database_answers_and_is_migrated(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "checks": {"database": "ok", "migrations": "ok"}}


@pytest.mark.django_db(transaction=True)
def test_not_ready_while_a_migration_is_missing(client):
    call_command("migrate", "cyan", "zero", verbosity=0)
    try:
        response = client.get("/health/ready")
    finally:
        call_command("migrate", "cyan", verbosity=0)
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    cyan_migrations = sum(app == "cyan" for app, _ in MigrationLoader(None).disk_migrations)
    assert body["checks"] == {
        "database": "ok",
        "migrations": f"{cyan_migrations} migration(s) not applied",
    }
    assert client.get("/health/ready").status_code == 200
