"""What readiness means: the database answers and every migration is applied.

Liveness (`/health`) only says the process serves requests; readiness (`/health/ready`)
says this process can do its work now, so a load balancer should send it traffic.
"""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def database_problem() -> str:
    """Empty when a trivial query round-trips; otherwise what went wrong."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"database unreachable: {type(exc).__name__}"
    return ""


def migrations_problem() -> str:
    """Empty when the database schema is the code's; otherwise how many are missing."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"migrations unknown: {type(exc).__name__}"
    return f"{len(plan)} migration(s) not applied" if plan else ""


def readiness() -> dict[str, str]:
    """Each check's problem ("" when fine); the migrations need a reachable database."""
    database = database_problem()
    if database:
        return {"database": database, "migrations": "not checked"}
    return {"database": "", "migrations": migrations_problem()}
