"""The simulation's processes (2 gunicorn workers, 2 Cyan workers, the Pic-Time stand-in)
and where their CPU goes, phase by phase.

Each process this run starts is in a process group of its own and is stopped by that
group's id; nothing else on the machine is touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import servers  # benchmarks/webhooks/servers.py

PYTHON = servers.PYTHON
ROOT = servers.ROOT


@dataclass
class Group:
    """A process started in its own session: its id is the group's id."""

    name: str
    process: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.process.pid:
                        found.append(int(entry.name))
                except (ProcessLookupError, PermissionError):
                    continue
        return found

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass


def with_descendants(pid: int) -> list[int]:
    """`pid` and every process under it (the stand-in serves from a child process)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def start_worker(name: str, env: dict[str, str], log_dir: Path) -> Group:
    """`manage.py worker` (what `cyan worker` runs), idle poll every second."""
    log = (log_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "worker", "--interval", "1"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    return Group(name, process)


class Meter:
    """CPU seconds of each part (web, worker, postgres, standin) over one phase, sampled
    every half second so processes that come and go (database backends) are counted."""

    def __init__(self, parts: dict[str, object]) -> None:
        self.parts = parts  # name → callable returning the pids of that part

    def __enter__(self) -> Meter:
        self.samplers = {name: servers.CpuSampler(find) for name, find in self.parts.items()}
        for sampler in self.samplers.values():
            sampler.__enter__()
        self.started = time.monotonic()
        self.process_cpu = time.process_time()
        self.busy, self.total = servers.machine_busy_seconds()
        return self

    def __exit__(self, *exc: object) -> None:
        for sampler in self.samplers.values():
            sampler.__exit__(*exc)
        self.seconds = time.monotonic() - self.started
        self.generator_cpu = time.process_time() - self.process_cpu
        busy, total = servers.machine_busy_seconds()
        self.machine_busy_pct = 100 * (busy - self.busy) / max(total - self.total, 1e-9)
        self.machine_busy_s = busy - self.busy

    def cpu(self) -> dict[str, float]:
        used = {name: sampler.seconds for name, sampler in self.samplers.items()}
        used["generator"] = self.generator_cpu
        return used

    def summary(self) -> dict[str, object]:
        cpu = self.cpu()
        return {
            "seconds": self.seconds,
            "cpu_s": cpu,
            "machine_busy_pct": self.machine_busy_pct,
            "other_cpu_s": max(0.0, self.machine_busy_s - sum(cpu.values())),
        }
