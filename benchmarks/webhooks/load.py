"""Load generators: wrk replaying pre-signed requests (preferred), or a threaded Python client.

Both send every request exactly once with at most `concurrency` in flight (a closed
loop: a connection sends its next request when the previous answer arrived) and report
the same figures, so Cyan and the bare ceiling are measured the same way.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from payloads import Delivery, raw_http_request

HERE = Path(__file__).resolve().parent
REQUEST_TIMEOUT_S = 10
# Every request is signed before the run starts; ending wrk's run inside this cap keeps
# each timestamp inside the receiver's 5-minute tolerance.
RUN_CAP_S = 240
STALL_S = REQUEST_TIMEOUT_S + 5


@dataclass
class LoadResult:
    sent: int
    ok: int
    failed: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: dict[str, int] = field(default_factory=dict)
    client_cpu_s: float = 0.0

    @property
    def req_per_s(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    deliveries: list[Delivery],
    *,
    host: str,
    path: str,
    concurrency: int,
    threads: int,
    cpu_of: Callable[[list[int]], float],
    pace_ms: float = 0.0,
) -> LoadResult:
    """`pace_ms` > 0: each connection waits that long before each request (wrk's `delay`
    hook, added to a copy of replay.lua), an open-ish load of about
    concurrency × 1000 / (pace_ms + latency) req/s instead of as fast as answered."""
    threads = max(1, min(threads, concurrency, len(deliveries)))
    with tempfile.TemporaryDirectory(prefix="cyan-bench-wrk-") as workdir:
        script = HERE / "replay.lua"
        if pace_ms > 0:
            script = Path(workdir) / "replay_paced.lua"
            script.write_text(
                (HERE / "replay.lua").read_text()
                + f"\nfunction delay()\n  return {pace_ms:.3f}\nend\n"
            )
        requests_file = Path(workdir) / "requests.bin"
        with requests_file.open("wb") as out:
            for delivery in deliveries:
                raw = raw_http_request(delivery, host=host, path=path)
                out.write(f"{len(raw)}\n".encode() + raw)
        done_dir = Path(workdir) / "done"
        done_dir.mkdir()
        command = ["wrk", "-t", str(threads), "-c", str(concurrency), "-d", f"{RUN_CAP_S}s"]
        command += ["--timeout", f"{REQUEST_TIMEOUT_S}s", "-s", str(script)]
        command += [f"http://{host}", "--", str(requests_file), str(done_dir), str(threads)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            client_cpu = _wait_for_threads(process, done_dir, threads, cpu_of)
            if process.poll() is None:
                os.kill(process.pid, signal.SIGINT)  # wrk's own way to end early and report
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return _parse_wrk(stdout.decode(), stderr.decode(), client_cpu)


def _wait_for_threads(
    process: subprocess.Popen[bytes],
    done_dir: Path,
    threads: int,
    cpu_of: Callable[[list[int]], float],
) -> float:
    """Wait until every wrk thread is done (or the run stalls); wrk's CPU time so far."""
    deadline = time.monotonic() + RUN_CAP_S + 5
    last_activity = time.time()
    client_cpu = 0.0
    while time.monotonic() < deadline and process.poll() is None:
        client_cpu = cpu_of([process.pid])
        markers = list(done_dir.iterdir())
        if sum(marker.name.startswith("done-") for marker in markers) >= threads:
            break
        last_activity = max([last_activity] + [m.stat().st_mtime for m in markers])
        if time.time() - last_activity > STALL_S:
            break  # no answer for longer than a request may take: report what arrived
        time.sleep(0.02)
    return client_cpu


def _parse_wrk(stdout: str, stderr: str, client_cpu: float) -> LoadResult:
    match = re.search(r"^RESULT (.*)$", stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{stdout}\n{stderr}")
    values = {k: float(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    return LoadResult(
        sent=int(values["sent"]),
        ok=int(values["ok"]),
        failed=int(values["failed"]) + int(values["sent"] - values["received"]),
        seconds=values["seconds"],
        p50_ms=values["p50_us"] / 1000,
        p90_ms=values["p90_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        socket_errors={name: int(values[f"{name}_errors"]) for name in ("connect", "read", "write")}
        | {"timeout": int(values["timeouts"])},
        client_cpu_s=client_cpu,
    )


def run_python_client(
    deliveries: list[Delivery], *, host: str, path: str, concurrency: int
) -> LoadResult:
    """Fallback when wrk is missing: threads, one requests.Session each, shared queue."""
    import requests

    url = f"http://{host}{path}"
    next_index = iter(range(len(deliveries)))
    lock = threading.Lock()
    latencies: list[float] = []
    outcome = {"ok": 0, "failed": 0}

    deadline = time.monotonic() + RUN_CAP_S

    def worker() -> None:
        session = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                index = next(next_index, None)
            if index is None:
                return
            delivery = deliveries[index]
            started = time.perf_counter()
            try:
                response = session.post(
                    url, data=delivery.body, headers=delivery.headers, timeout=REQUEST_TIMEOUT_S
                )
                good = response.status_code == 200
            except requests.RequestException:
                good = False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                outcome["ok" if good else "failed"] += 1

    cpu_before = time.process_time()
    started = time.perf_counter()
    workers = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT_S)
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0

    return LoadResult(
        sent=len(latencies),
        ok=outcome["ok"],
        failed=outcome["failed"] + len(deliveries) - len(latencies),
        seconds=seconds,
        p50_ms=percentile(0.50),
        p90_ms=percentile(0.90),
        p99_ms=percentile(0.99),
        max_ms=ordered[-1] * 1000 if ordered else 0,
        client_cpu_s=time.process_time() - cpu_before,
    )
