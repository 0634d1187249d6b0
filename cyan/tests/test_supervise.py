"""`cyan up`'s supervisor with real child processes: a crash costs one child a restart,
never the others; a crash loop stops everything, loudly."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator

import pytest

from cyan.supervise import Policy, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]
FAST = Policy(first_delay=0.05, max_delay=0.2, max_crashes=4, window=60)


@pytest.fixture
def supervisors() -> Iterator[list[Supervisor]]:
    made: list[Supervisor] = []
    yield made
    for supervisor in made:
        supervisor.stop_all(timeout=5)


def started(supervisors: list[Supervisor], **commands: list[str]) -> Supervisor:
    supervisor = Supervisor(commands, policy=FAST)
    supervisors.append(supervisor)
    supervisor.start_all()
    return supervisor


def tick_until(supervisor: Supervisor, done, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the supervisor never got there"
        supervisor.tick()
        time.sleep(0.02)


def pid(supervisor: Supervisor, name: str) -> int | None:
    process = supervisor.children[name].process
    return process.pid if process is not None and process.poll() is None else None


def test_a_killed_child_comes_back_and_the_others_stay_up(supervisors, capsys):
    supervisor = started(supervisors, web=SLEEPER, worker=SLEEPER)
    web, worker = pid(supervisor, "web"), pid(supervisor, "worker")
    os.kill(worker, signal.SIGKILL)
    tick_until(supervisor, lambda: pid(supervisor, "worker") not in (None, worker))
    assert pid(supervisor, "web") == web
    assert not supervisor.stopping
    assert "worker exited with -9; restarting it" in capsys.readouterr().out


def test_restarts_back_off(supervisors, capsys):
    supervisor = started(supervisors, worker=CRASHER)
    tick_until(supervisor, lambda: len(supervisor.children["worker"].crashes) == 3)
    out = capsys.readouterr().out
    delays = [line.split("restarting it in ")[1].split("s")[0] for line in out.splitlines()
              if "restarting it in" in line]  # fmt: skip
    assert [float(d) for d in delays] == [0.05, 0.1, 0.2]


def test_a_crash_loop_gives_up_loudly_and_stops_everything(supervisors, capsys):
    supervisor = started(supervisors, web=SLEEPER, worker=CRASHER)
    web = supervisor.children["web"].process
    tick_until(supervisor, lambda: supervisor.stopping)
    supervisor.stop_all(timeout=5)
    assert supervisor.exit_code == 1
    assert web.poll() is not None
    assert "worker exited with 3 and has crashed 4 times in 60s: a crash loop, giving up" in (
        capsys.readouterr().out
    )
