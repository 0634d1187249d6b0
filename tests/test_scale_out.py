"""Cyan scaled out, as real processes: two web servers (gunicorn), two workers (`cyan
worker --processes 2`) and two schedulers against one PostgreSQL database and Redis (db 5
unless CYAN_TEST_REDIS_URL says otherwise), as several machines would run it.

Shown: (a) the API budget is one across both web processes, counted in Redis; (b) no task
runs twice; (c) exactly one scheduler holds the lock and beats, and a standby takes over
when the leader is killed.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from core.locks import advisory_key
from cyan.cli import scheduler_command, serve_command, worker_command
from cyan.scheduler import HEARTBEAT_KEY, LOCK_NAME
from testkit.caches import redis_test_url
from testkit.standin.server import free_port
from testkit.tasks import RUNS_TABLE, enqueue_script
from tests.faults.kit import Database, Process, drill_database, wait_until

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="scale-out needs PostgreSQL (DATABASE_URL): SQLite serves one machine only",
)

API_BUDGET = 10
TASKS = 200
SETUP = """
from accounts.services import create_studio
from api.services import generate_api_key
studio, _ = create_studio(
    name="Scaled", owner_email="owner@scale.test", owner_password="a-long-pw-4821"
)
print("KEY=" + generate_api_key(studio=studio, name="scale")[1])
"""


@dataclass
class Cluster:
    database: Database
    redis_url: str
    api_key: str
    webs: list[Process]
    urls: list[str]
    workers: Process
    schedulers: list[Process]

    def heartbeat(self) -> dict | None:
        from django.core.cache.backends.redis import RedisCache

        return RedisCache(self.redis_url, {}).get(HEARTBEAT_KEY)

    def leader(self) -> Process | None:
        beat = self.heartbeat()
        pid = int(beat["holder"].rsplit("-", 1)[1]) if beat else None
        return next((s for s in self.schedulers if s.alive and s.process.pid == pid), None)

    def lock_holders(self) -> int:
        key = advisory_key(LOCK_NAME)
        rows = self.database.rows(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid::bigint = %s AND objid::bigint = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (key >> 32) & 0xFFFFFFFF,
            key & 0xFFFFFFFF,
        )
        return rows[0][0]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    import redis

    redis_url = redis_test_url()
    redis.Redis.from_url(redis_url).flushdb()  # the test's own Redis database only
    tmp = tmp_path_factory.mktemp("scale-out")
    with drill_database(tmp) as database:
        env = database.env() | {
            "CYAN_REDIS_URL": redis_url,
            "CYAN_API_RATE_LIMIT": f"{API_BUDGET}/day",
            "CYAN_SCHEDULER_BEAT_SECONDS": "0.5",
        }
        setup = database.manage("shell", "-c", SETUP)
        key = re.search(r"KEY=(\S+)", setup).group(1)
        ports = [free_port(), free_port()]
        webs = [
            Process(f"web-{n}", serve_command(port, workers=1), env, tmp / f"web-{n}.log")
            for n, port in enumerate(ports)
        ]
        workers = Process(
            "workers",
            worker_command("--processes", "2", "--interval", "0.2", "--heartbeat", "0.5"),
            env,
            tmp / "workers.log",
        )
        schedulers = [
            Process(f"scheduler-{n}", scheduler_command(), env, tmp / f"scheduler-{n}.log")
            for n in range(2)
        ]
        everything = [*webs, workers, *schedulers]
        for process in everything:
            process.start()
        cluster = Cluster(
            database, redis_url, key, webs, [f"http://127.0.0.1:{p}" for p in ports],
            workers, schedulers,
        )  # fmt: skip
        try:
            for url, web in zip(cluster.urls, webs, strict=True):
                wait_until(lambda url=url, web=web: _up(url) or not web.alive, 120, url)
                assert web.alive, web.log()[-3000:]
            yield cluster
        finally:
            for process in everything:
                process.stop()
            redis.Redis.from_url(redis_url).flushdb()


def _up(url: str) -> bool:
    try:
        return requests.get(f"{url}/health", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def test_the_api_budget_is_one_across_web_processes_counted_in_redis(cluster):
    import redis

    headers = {"Authorization": f"Bearer {cluster.api_key}"}
    served = {url: 0 for url in cluster.urls}
    refused = 0
    for n in range(API_BUDGET * 2):
        url = cluster.urls[n % 2]
        status = requests.get(f"{url}/api/v1/me", headers=headers, timeout=30).status_code
        assert status in (200, 429)
        served[url] += status == 200
        refused += status == 429
    assert sum(served.values()) == API_BUDGET  # per process, it would be twice that
    assert all(served.values()) and refused == API_BUDGET
    assert redis.Redis.from_url(cluster.redis_url).keys("*cyan-api-rate*")  # counted there


def test_no_task_runs_twice_across_worker_processes(cluster):
    database = cluster.database
    wait_until(
        # Two processes, each beating for its main loop and for its intake thread.
        lambda: database.rows("SELECT COUNT(DISTINCT pid) FROM cyan_workerheartbeat")[0][0] == 2,
        120,
        "two workers",
    )
    database.manage("shell", "-c", enqueue_script(TASKS, 0.01))

    def finished() -> int:
        return database.rows(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'testkit.tasks.record_run' AND status IN ('SUCCESSFUL', 'FAILED')"
        )[0][0]

    wait_until(lambda: finished() == TASKS, 240, f"{TASKS} tasks")
    runs = database.rows(f"SELECT n, pid FROM {RUNS_TABLE} ORDER BY n")
    assert [n for n, _ in runs] == list(range(TASKS))
    failed = database.rows(
        "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    )
    assert failed == [(0,)], cluster.workers.log()[-3000:]
    assert len({pid for _, pid in runs}) == 2  # both worker processes took part


def test_one_scheduler_leads_and_a_standby_takes_over(cluster):
    leader = wait_until(cluster.leader, 60, "an elected scheduler")
    standby = next(s for s in cluster.schedulers if s is not leader)
    assert cluster.lock_holders() == 1
    # Elected (the lock is held) comes a moment before the first beat is written.
    first = wait_until(cluster.heartbeat, 30, "a first heartbeat")["at"]
    wait_until(lambda: (cluster.heartbeat() or {"at": 0})["at"] > first, 30, "a newer heartbeat")
    assert cluster.leader() is leader  # the standby never beats
    # Two schedulers and two workers' janitors, yet one poll round waits, never two
    # (two chains of rounds would keep two waiting nearly all the time).
    waiting = []
    for _ in range(6):
        waiting += cluster.database.rows(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'inbox.tasks.poll_all_links' AND status = 'READY'"
        )[0]
        time.sleep(0.5)
    assert max(waiting) == 1, waiting

    leader.process.send_signal(signal.SIGKILL)
    leader.process.wait(timeout=30)
    assert wait_until(lambda: cluster.leader() is standby, 60, "the standby to take over")
    assert cluster.lock_holders() == 1
    assert "elected" in standby.log()
