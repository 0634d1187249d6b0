"""`cyan up`'s supervisor: one crashed child is restarted, the others keep running.

A child that exits while Cyan is not stopping is restarted after a backoff (1 s doubling
to 30 s, back to 1 s once it has run a minute). A child that crashes `max_crashes` times
within `window` seconds is a crash loop: restarting cannot help, so the supervisor says
so loudly and stops everything with a non-zero exit code.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class Policy:
    first_delay: float = 1.0
    max_delay: float = 30.0
    stable_after: float = 60.0  # a child that ran this long starts over at first_delay
    max_crashes: int = 5
    window: float = 60.0


@dataclass
class Child:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = 0.0
    restart_at: float | None = None
    crashes: deque[float] = field(default_factory=deque)


def say(message: str, label: str = "cyan up") -> None:
    print(f"[{label}] {message}", flush=True)


class Supervisor:
    def __init__(
        self,
        commands: Mapping[str, list[str]],
        *,
        env: Mapping[str, str] | None = None,
        policy: Policy | None = None,
        label: str = "cyan up",
    ) -> None:
        self.children = {name: Child(name, list(cmd)) for name, cmd in commands.items()}
        self.label = label  # how its messages begin: `cyan up`, `cyan worker`
        self.env = dict(env) if env is not None else None
        self.policy = policy or Policy()
        self.stopping = False
        self.exit_code = 0

    def handle_signals(self) -> None:
        """From now on Ctrl-C or SIGTERM stops every child (at the next tick)."""
        signal.signal(signal.SIGINT, self._request_stop)
        signal.signal(signal.SIGTERM, self._request_stop)

    def start_all(self) -> None:
        for child in self.children.values():
            self._start(child, time.monotonic())

    def run(self) -> int:
        """Supervise the started children until a signal or a crash loop; then stop all."""
        self.handle_signals()
        try:
            while not self.stopping:
                self.tick()
                time.sleep(0.2)
        finally:
            self.stop_all()
        return self.exit_code

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for child in self.children.values():
            if child.process is not None and child.process.poll() is not None:
                self._exited(child, now)
            if self.stopping:
                return
            if child.restart_at is not None and now >= child.restart_at:
                self._start(child, now)

    def stop_all(self, timeout: float = 10) -> None:
        self.stopping = True
        running = [c.process for c in self.children.values() if c.process is not None]
        for process in running:
            if process.poll() is None:
                process.terminate()
        for process in running:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    def _request_stop(self, *_args: object) -> None:
        self.stopping = True

    def _start(self, child: Child, now: float) -> None:
        child.process = subprocess.Popen(child.command, env=self.env)
        child.started_at = now
        child.restart_at = None
        say(f"started {child.name} (pid {child.process.pid})", self.label)

    def _exited(self, child: Child, now: float) -> None:
        code = child.process.returncode if child.process is not None else None
        child.process = None
        policy = self.policy
        if now - child.started_at >= policy.stable_after:
            child.delay = 0.0
        child.crashes.append(now)
        while child.crashes and child.crashes[0] < now - policy.window:
            child.crashes.popleft()
        if len(child.crashes) >= policy.max_crashes:
            say(
                f"{child.name} exited with {code} and has crashed {len(child.crashes)} times "
                f"in {policy.window:.0f}s: a crash loop, giving up. Stopping everything; "
                f"see {child.name}'s output above.",
                self.label,
            )
            self.exit_code = 1
            self.stopping = True
            return
        child.delay = min(policy.max_delay, child.delay * 2 or policy.first_delay)
        child.restart_at = now + child.delay
        say(
            f"{child.name} exited with {code}; restarting it in {child.delay:g}s "
            f"(crash {len(child.crashes)} of {policy.max_crashes} allowed in "
            f"{policy.window:.0f}s). The others keep running.",
            self.label,
        )
