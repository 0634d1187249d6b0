"""The backup recipe of docs/deploy.md, run for real: data made through Cyan's services,
`pg_dump -Fc`, the database dropped and created again, `pg_restore`, and every row of
every table is back (same count, same content), and Cyan writes to it as before."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

BASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not BASE_URL.startswith("postgres"),
        reason="the backup recipe is PostgreSQL's (pg_dump/pg_restore); this run is on SQLite",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump and pg_restore (postgresql-client) are not installed",
    ),
]

MAKE_DATA = """
from datetime import UTC, datetime
from accounts.services import create_studio
from api.services import generate_api_key
from inbox.importing import import_item
from testkit.factories import make_contact, make_sale, make_shoot, receive
studio, _ = create_studio(name="Backup Studio", owner_email="owner@backup.test",
                          owner_password="a-long-backup-password-9")
generate_api_key(studio=studio, name="backup")
ada = make_contact(studio, "Ada", "Lovelace", emails=["ada@example.com"])
for n in range(20):
    contact = make_contact(studio, f"Client{n}", "Restored", emails=[f"c{n}@example.com"])
    make_sale(studio, contact, total_minor=1000 + n)
make_shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
for n in range(1, 4):
    item = receive(studio, n=n)
import_item(item=item)
"""
WRITE_AFTER = """
from accounts.models import Studio
from testkit.factories import make_contact, make_sale
studio = Studio.objects.get(name="Backup Studio")
make_sale(studio, make_contact(studio, "After", "Restore"), total_minor=999)
print("WROTE")
"""


def database_url(name: str) -> str:
    return urlsplit(BASE_URL)._replace(path=f"/{name}").geturl()


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture
def drill_url() -> Iterator[str]:
    """A database named after this run's (never `test` itself), made and dropped here."""
    name = f"{urlsplit(BASE_URL).path.lstrip('/') or 'cyan'}_backup_drill"
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cyan.settings"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def snapshot(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of all its rows (in a stable order)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: connection.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') "
                f'FROM "{table}" t'
            ).fetchone()
            for table in tables
        }


def test_dump_wipe_restore_brings_every_row_back(drill_url, tmp_path):
    manage(drill_url, "migrate", "-v0")
    manage(drill_url, "shell", "-c", MAKE_DATA)
    before = snapshot(drill_url)
    for table in ("accounts_studio", "contacts_contact", "sales_sale", "inbox_inboxitem",
                  "shoots_shoot", "api_apikey", "django_migrations"):  # fmt: skip
        assert before[table][0] > 0, f"{table} is empty: the drill would prove nothing"

    dump = tmp_path / "cyan.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-f", str(dump), drill_url], check=True)
    name = urlsplit(drill_url).path.lstrip("/")
    admin(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    assert snapshot(drill_url) == {}  # really wiped
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", drill_url, str(dump)], check=True
    )

    assert snapshot(drill_url) == before
    # The sequences came back too: new rows get new ids, not a duplicate-key error.
    assert "WROTE" in manage(drill_url, "shell", "-c", WRITE_AFTER)
