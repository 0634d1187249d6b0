"""Drill: `cyan up` (what `make run` runs) with one child killed by kill -9: that child
comes back, the others keep running and serving, and Ctrl-C still stops everything."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from cyan.cli import ROOT
from testkit.standin.server import free_port
from tests.faults.kit import wait_until

pytestmark = [
    pytest.mark.standin,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="cyan up's supervision is the same on every database; it runs (on its own "
        "SQLite) in the SQLite pass only",
    ),
]
TEST_ONLY_ENV = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
STARTED = re.compile(r"\[cyan up\] started (\w+) \(pid (\d+)\)")


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a database other processes may be using (SQLite's backup)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source)) as db,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        db.backup(copy)


class Up:
    def __init__(self, tmp_path: Path) -> None:
        self.cyan_port, self.pictime_port = free_port(), free_port()
        self.shootproof_port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
        env.update(
            CYAN_VAR_DIR=str(tmp_path / "var"),
            CYAN_PORT=str(self.cyan_port),
            PICTIME_PORT=str(self.pictime_port),
            PICTIME_DB=str(tmp_path / "pictime.sqlite3"),
            SHOOTPROOF_PORT=str(self.shootproof_port),
            SHOOTPROOF_DB=str(tmp_path / "shootproof.sqlite3"),
            CYAN_DEMO="false",  # no demo: not what this drill is about, and slow to load
        )
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cyan.cli", "up"], cwd=ROOT, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def pids(self) -> dict[str, int]:
        """The latest pid of each child, from the supervisor's own output."""
        found = (STARTED.search(line) for line in list(self.lines))
        return {m.group(1): int(m.group(2)) for m in found if m}

    def serving(self) -> bool:
        ports = (self.cyan_port, self.pictime_port, self.shootproof_port)
        return all(_ok(f"http://127.0.0.1:{port}/health") for port in ports)

    def output(self) -> str:
        return "".join(self.lines)[-5000:]


def _ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def test_a_killed_child_is_restarted_and_the_others_stay_up(tmp_path, drill_db, drill_standin):
    # Already migrated databases: startup is what `make run` does on its second run.
    copy_sqlite(drill_db.var_dir / "cyan.sqlite3", tmp_path / "var" / "cyan.sqlite3")
    copy_sqlite(Path(drill_standin.env["PICTIME_DB"]), tmp_path / "pictime.sqlite3")
    up = Up(tmp_path)
    try:
        wait_until(lambda: len(up.pids()) == 5 and up.serving(), 120, "cyan up to serve")
        first = up.pids()
        os.kill(first["worker"], signal.SIGKILL)
        wait_until(lambda: up.pids()["worker"] != first["worker"], 30, "a new worker")
        assert "[cyan up] worker exited with -9; restarting it" in up.output()
        assert up.process.poll() is None, up.output()
        assert {k: v for k, v in up.pids().items() if k != "worker"} == {
            "web": first["web"],
            "scheduler": first["scheduler"],
            "pictime": first["pictime"],
            "shootproof": first["shootproof"],
        }
        assert up.serving()
        os.kill(up.pids()["worker"], 0)  # the new worker runs
    finally:
        up.process.send_signal(signal.SIGINT)
        code = up.process.wait(timeout=60)
    assert code == 0, up.output()
    assert not up.serving()
