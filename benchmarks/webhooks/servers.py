"""The benchmark's PostgreSQL database and its gunicorn servers (Cyan and the bare ceiling).

Every server is started in a process group of its own and stopped by that group's id,
so nothing else on the machine is touched.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PYTHON = sys.executable
GUNICORN_ARGS = ["--workers", "2", "--threads", "4", "--no-control-socket"]


def database_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rstrip("/").rsplit("/", 1)
    if name in {"test", "postgres", "root"} or name.startswith("test_"):
        raise SystemExit(f"Refusing to use the shared database {name!r}; pick a benchmark one.")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    base, name = url.rstrip("/").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backend_pids(database: str) -> list[int]:
    """PostgreSQL backends connected to `database` (this run's, not other sessions'),
    found by their process title ("postgres: 15/main: USER DATABASE HOST(PORT) STATE")."""
    needle = f" {database} ".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and needle in title:
                found.append(int(entry.name))
    return found


def run_django_step(args: list[str], database_url: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "CYAN_LOG_LEVEL": "WARNING"}
    done = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The master and its workers (the whole process group this run started)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.process.pid:
                        found.append(int(entry.name))
                except (ProcessLookupError, PermissionError):
                    continue
        return found

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


def start_gunicorn(
    name: str,
    app: str,
    *,
    chdir: Path,
    env: dict[str, str],
    log_dir: Path,
    ready_path: str,
    extra_args: tuple[str, ...] = (),
) -> Server:
    port = free_port()
    log_path = log_dir / f"gunicorn-{name}.log"
    command = [PYTHON, "-m", "gunicorn", app, *GUNICORN_ARGS, *extra_args]
    command += ["--bind", f"127.0.0.1:{port}"]
    command += ["--chdir", str(chdir), "--error-logfile", str(log_path), "--log-level", "warning"]
    process = subprocess.Popen(
        command,
        cwd=chdir,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped by id, with its workers
    )
    server = Server(name, process, port, log_path)
    try:
        wait_until_ready(server, ready_path)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(server: Server, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://{server.host}{path}"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log_path}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # e.g. 405 for GET on a POST-only view: it answers
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer on {url} within {timeout:.0f}s")


def start_worker(*, env: dict[str, str], log_dir: Path) -> Server:
    """`manage.py worker` as `make run` starts it (its intake thread included), in its
    own process group like the servers."""
    log_path = log_dir / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [PYTHON, "manage.py", "worker"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server("worker", process, 0, log_path)


def _psql(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def wait_for_intake(url: str, timeout: float) -> dict[str, float]:
    """Wait until the worker has processed every accepted delivery (or `timeout` s)."""
    started = time.monotonic()
    sql = "SELECT count(*) FROM inbox_webhookdelivery WHERE processed_at IS NULL"
    waiting = _psql(url, sql)[0][0]
    while waiting and time.monotonic() - started < timeout:
        time.sleep(0.25)
        waiting = _psql(url, sql)[0][0]
    return {"waited_s": time.monotonic() - started, "still_waiting": waiting}


CEILING_TABLE = "bench_ceiling_delivery"


def create_ceiling_table(url: str) -> None:
    _psql(
        url,
        f"CREATE TABLE IF NOT EXISTS {CEILING_TABLE} (id bigserial PRIMARY KEY,"
        " body text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())",
    )


def ceiling_rows(url: str) -> int:
    return _psql(url, f"SELECT count(*) FROM {CEILING_TABLE}")[0][0]


def cyan_env(database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "cyan.settings",
        "CYAN_DEBUG": "false",
        "CYAN_ALLOWED_HOSTS": "127.0.0.1",
        "CYAN_LOG_LEVEL": "WARNING",
    }


def bare_env() -> dict[str, str]:
    return {"DJANGO_SETTINGS_MODULE": "bare.settings"}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / ticks, sum(values[:8]) / ticks


class CpuSampler:
    """CPU seconds used by a changing set of processes (e.g. PostgreSQL backends, which
    Django reconnects every CONN_MAX_AGE): sampled every `period` s while the load runs."""

    def __init__(self, find_pids: Callable[[], list[int]], period: float = 0.5) -> None:
        self.find_pids = find_pids
        self.period = period
        self.baseline: dict[int, float] = {}
        self.latest: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> CpuSampler:
        self.baseline = {pid: cpu_seconds([pid]) for pid in self.find_pids()}
        self.latest = dict(self.baseline)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self._sample()

    def _sample(self) -> None:
        for pid in self.find_pids():
            used = cpu_seconds([pid])
            if used or pid not in self.latest:
                self.latest[pid] = used

    @property
    def seconds(self) -> float:
        return sum(used - self.baseline.get(pid, 0.0) for pid, used in self.latest.items())
