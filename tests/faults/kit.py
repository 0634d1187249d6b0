"""Cyan as real processes for the fault drills: its own database (SQLite file or a fresh
PostgreSQL database), `cyan serve` (gunicorn) and `cyan worker` as subprocesses, a studio
linked to the Pic-Time stand-in over real HTTP, and plain SQL to see what they stored.

The drills cannot use pytest-django's test database: on SQLite it lives in the test
process's memory, where no other process can reach it.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.fernet import Fernet

from cyan.cli import ROOT, serve_command, worker_command
from testkit.standin.server import StandIn, free_port
from testkit.standin.user import StandInUser, parse_forms

MANAGE = str(ROOT / "manage.py")
PASSWORD = "fault-drill-password"
DRILL_SECRET_KEY = secrets.token_urlsafe(50)
DRILL_FERNET_KEY = Fernet.generate_key().decode()


def wait_until(predicate: Callable[[], Any], timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.1)


# -- The database the drill's processes share -------------------------------------------


@dataclass
class Database:
    """`url` is what Cyan's processes use (None: SQLite under `var_dir`); `direct_url`
    is what the test itself reads through, even while a proxy in `url` is down."""

    var_dir: Path
    url: str | None = None
    direct_url: str | None = None

    @property
    def vendor(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def env(self, url: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
        env.update(CYAN_VAR_DIR=str(self.var_dir), DJANGO_SETTINGS_MODULE="cyan.settings")
        if url or self.url:
            env["DATABASE_URL"] = url or self.url or ""
        return env

    def rows(self, sql: str, *params: object) -> list[tuple]:
        """A read with %s placeholders, straight from the database."""
        if self.vendor == "sqlite":
            with contextlib_closing(sqlite3.connect(self.var_dir / "cyan.sqlite3")) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.direct_url or self.url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()

    def execute(self, sql: str, *params: object) -> None:
        if self.vendor == "sqlite":
            with contextlib_closing(sqlite3.connect(self.var_dir / "cyan.sqlite3")) as db:
                db.execute(sql.replace("%s", "?"), params)
                db.commit()
            return
        import psycopg

        with psycopg.connect(self.direct_url or self.url, autocommit=True) as db:
            db.execute(sql, params)

    def forget_background_work(self) -> None:
        """Between drills: no task, no linked account is left over to be polled by the
        next drill's worker (the drills share one database)."""
        self.execute("DELETE FROM django_tasks_database_dbtaskresult")
        self.execute("UPDATE galleries_gallerylink SET status = 'unlinked'")

    def tasks(self, task_path: str) -> list[tuple[str, list]]:
        """(status, args) of every task of `task_path`, oldest first."""
        rows = self.rows(
            "SELECT status, args_kwargs FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s ORDER BY enqueued_at",
            task_path,
        )
        return [(status, _json(args)["args"]) for status, args in rows]

    def manage(self, *args: str, timeout: float = 180) -> str:
        result = subprocess.run(
            [sys.executable, MANAGE, *args],
            env=self.env(self.direct_url),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
        return result.stdout


def _json(value: object) -> dict:
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[return-value]


@contextmanager
def contextlib_closing(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield db
    finally:
        db.close()


@contextmanager
def drill_database(tmp_dir: Path) -> Iterator[Database]:
    """A migrated database of its own, on the vendor this test run uses."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        database = Database(var_dir=tmp_dir)
        database.manage("migrate", "-v0")
        yield database
        return
    import psycopg

    name = f"cyan_faults_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(base)
    url = parts._replace(path=f"/{name}").geturl()
    base = parts._replace(path="/postgres").geturl()  # the test run's own may not exist yet
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database = Database(var_dir=tmp_dir, url=url, direct_url=url)
    try:
        database.manage("migrate", "-v0")
        yield database
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- Cyan's processes ---------------------------------------------------------------------


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> Process:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """kill -9, and reap it (a zombie would still look alive)."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cyan:
    """Cyan's web server and worker on one database, pointed at one stand-in."""

    database: Database
    standin: StandIn
    tmp_dir: Path
    db_url: str | None = None  # e.g. through a proxy; default: the database's own
    poll_seconds: int = 2
    port: int = field(default_factory=free_port)
    web: Process | None = None
    worker: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **self.database.env(self.db_url),
            "CYAN_PORT": str(self.port),
            "CYAN_BASE_URL": self.url,
            "PICTIME_BASE_URL": self.standin.url,
            "CYAN_POLL_INTERVAL_SECONDS": str(self.poll_seconds),
            "CYAN_POLL_TICK_SECONDS": str(min(self.poll_seconds, 2)),
            "CYAN_WORKER_LEASE_SECONDS": "20",
            "CYAN_DEBUG": "false",
            "CYAN_SECURE_COOKIES": "false",
            # Production settings refuse the in-repo development keys (cyan/checks.py).
            "CYAN_SECRET_KEY": DRILL_SECRET_KEY,
            "CYAN_FERNET_KEYS": DRILL_FERNET_KEY,
        }

    def start_web(self) -> Process:
        """Started, not yet serving: `wait_for_web` (linking does) while other work goes on."""
        command = [*serve_command(self.port, workers=1), "--graceful-timeout", "2"]
        self.web = Process("web", command, self.env(), self.tmp_dir / "web.log").start()
        return self.web

    def wait_for_web(self) -> None:
        wait_until(lambda: self._healthy() or self._dead(self.web), 90, "the web server")
        assert self.web is not None and self.web.alive, self.web.log()[-3000:] if self.web else ""

    def start_worker(self) -> Process:
        command = [*worker_command(), "--heartbeat", "1", "--janitor", "2", "--max-backoff", "2"]
        self.worker = Process("worker", command, self.env(), self.tmp_dir / "worker.log")
        return self.worker.start()

    def stop(self) -> None:
        for process in (self.worker, self.web):
            if process is not None:
                process.stop()

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", timeout=30)

    def _healthy(self) -> bool:
        try:
            return self.get("/health").status_code == 200
        except requests.RequestException:
            return False

    @staticmethod
    def _dead(process: Process | None) -> bool:
        return process is None or not process.alive


# -- A studio linked to the stand-in, over HTTP -----------------------------------------


@dataclass
class Studio:
    id: int
    email: str
    account: dict
    link_id: int


def create_studio(database: Database) -> tuple[int, str]:
    email = f"drill-{uuid.uuid4().hex[:8]}@example.test"
    script = (
        "import json\n"
        "from accounts.services import create_studio\n"
        "from api.services import generate_api_key\n"
        f"studio, _ = create_studio(name='Drill Studio', owner_email={email!r}, "
        f"owner_password={PASSWORD!r})\n"
        "generate_api_key(studio=studio)\n"
        "print(json.dumps({'id': studio.pk}))\n"
    )
    output = database.manage("shell", "-c", script)
    return json.loads(output.strip().splitlines()[-1])["id"], email


def new_account(standin: StandIn, galleries: int = 2) -> dict:
    email = f"drill{uuid.uuid4().hex[:8]}@pictime.test"
    body = {"email": email, "password": "secret-pw", "name": "Drill Photo", "galleries": galleries}
    response = control(standin, "POST", "/control/accounts", body)
    assert response.status_code == 201, response.text
    return {"email": email, "password": "secret-pw", **response.json()}


def linked_studio(cyan: Cyan, account: dict) -> Studio:
    """A new studio whose owner logs in to the running Cyan and links `account`."""
    studio_id, email = create_studio(cyan.database)
    cyan.wait_for_web()
    session = requests.Session()
    login_url = f"{cyan.url}/accounts/login/"
    form = next(f for f in parse_forms(session.get(login_url, timeout=30).text) if f.has_password())
    data = {name: value for _, name, value in form.fields if name}
    data.update(username=email, password=PASSWORD)
    assert session.post(login_url, data=data, timeout=30).url.rstrip("/") != login_url.rstrip("/")
    response = session.post(
        f"{cyan.url}/galleries/pictime/authorise/",
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": cyan.url + "/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    user = StandInUser(cyan.standin.url, email=account["email"], password=account["password"])
    callback = user.authorise(urljoin(cyan.url, response.headers["Location"]))
    session.get(callback, timeout=30)
    linked = cyan.database.rows(
        "SELECT id, status FROM galleries_gallerylink WHERE studio_id = %s", studio_id
    )
    assert [status for _, status in linked] == ["linked"], cyan.web.log()[-3000:]
    return Studio(id=studio_id, email=email, account=account, link_id=linked[0][0])


# -- Orders ------------------------------------------------------------------------------


def control(standin: StandIn, method: str, path: str, body: Any = None) -> requests.Response:
    """The stand-in's control API with a patient timeout: on a loaded CI machine, placing
    a few orders can outlast StandIn.control's 10 s."""
    token = standin.env.get("PICTIME_CONTROL_TOKEN", "standin-control")
    return requests.request(
        method, f"{standin.url}{path}", json=body,
        headers={"Authorization": f"Bearer {token}"}, timeout=90,
    )  # fmt: skip


def place(standin: StandIn, account: dict, count: int, batch: int = 10) -> list[str]:
    """`count` orders at the stand-in (in batches: a loaded machine places ~10 a second)."""
    ids: list[str] = []
    while len(ids) < count:
        body = {"account_email": account["email"], "count": min(batch, count - len(ids))}
        response = control(standin, "POST", "/control/orders", body)
        assert response.status_code == 201, response.text
        ids += [order["id"] for order in response.json()["data"]]
    return ids


def deliver(standin: StandIn) -> None:
    control(standin, "POST", "/control/webhooks/flush")


def inbox_counts(database: Database, studio_id: int) -> dict[str, int]:
    rows = database.rows(
        "SELECT external_id, COUNT(*) FROM inbox_inboxitem WHERE studio_id = %s "
        "GROUP BY external_id",
        studio_id,
    )
    return dict(rows)


def assert_each_exactly_once(database: Database, studio_id: int, orders: list[str]) -> None:
    counts = inbox_counts(database, studio_id)
    assert set(counts) == set(orders), (
        f"missing {sorted(set(orders) - set(counts))[:10]}, "
        f"unexpected {sorted(set(counts) - set(orders))[:10]}"
    )
    assert {order: n for order, n in counts.items() if n != 1} == {}


def all_arrived(database: Database, studio_id: int, orders: list[str]) -> bool:
    return set(orders) <= set(inbox_counts(database, studio_id))


def restart_standin(standin: StandIn) -> None:
    """Start a stopped stand-in again on its port, with its database (nothing forgotten)."""
    from testkit.standin import server as kit

    assert standin.process.poll() is not None, "stop it first"
    env = {k: v for k, v in os.environ.items() if k not in kit._CYAN_ONLY_ENV}
    env.update(standin.env)
    with standin.log_path.open("ab") as log:
        standin.process = subprocess.Popen(
            [sys.executable, str(kit.MANAGE), "serve", "--port", str(standin.port)],
            cwd=str(kit.MANAGE.parent), env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    kit._wait_for_health(standin, timeout=90)
