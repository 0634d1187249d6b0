"""Scale simulation: 1,000 studios' webhooks, polls, page views and imports against 2 web
(gunicorn) + 2 worker processes on PostgreSQL, on this machine, over loopback only.

    .venv/bin/python benchmarks/scale/run.py \
        [--studios 1000] [--duration 180] [--speed 2]

Phases: seed; per-kind cost (each kind alone, closed loop); the queue's ceiling (near-empty
tasks); then the mix, open loop, with the queue lag sampled. Figures go to
var/bench/scale/run-*.json and a table on stdout (README.md says what each means).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This folder first: benchmarks/webhooks has a dbtool.py of its own.
sys.path.insert(0, str(HERE.parent / "webhooks"))
sys.path.insert(0, str(HERE))

import dbtool  # noqa: E402
import mix  # noqa: E402
import processes  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402
import taskqueue  # noqa: E402
from traffic import Generator, Studios, closed_loop, open_loop  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/bench_scale"
RESULTS_DIR = servers.ROOT / "var" / "bench" / "scale"
REDIS_URL = "redis://127.0.0.1:6379/6"
WARMUP = 10  # requests of each kind before anything is measured


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studios", type=int, default=mix.DEFAULT_STUDIOS)
    parser.add_argument("--duration", type=float, default=mix.DEFAULT_DURATION_S,
                        help="seconds of the mixed phase")  # fmt: skip
    parser.add_argument("--speed", type=float, default=mix.DEFAULT_SPEED,
                        help="simulated seconds per wall second")  # fmt: skip
    parser.add_argument("--calibrate", type=int, default=150,
                        help="requests of each kind sent alone to measure its cost")  # fmt: skip
    parser.add_argument("--noops", type=int, default=2000, help="tasks for the queue ceiling")
    parser.add_argument("--concurrency", type=int, default=16, help="most requests in flight")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    try:
        args.plan = mix.Plan(args.studios, args.duration, args.speed).check()
    except ValueError as exc:
        parser.error(str(exc))
    try:
        mix.require_loopback(args.database_url)  # the database takes the load too
    except mix.NotLoopback as exc:
        parser.error(str(exc))
    if not servers.database_name(args.database_url).startswith("bench_scale"):
        parser.error("--database-url must name a database bench_scale* (it is dropped)")
    if not 1 <= args.concurrency <= 64 or not 10 <= args.calibrate <= 2000:
        parser.error("--concurrency 1..64, --calibrate 10..2000")
    if not 0 <= args.noops <= 20_000:
        parser.error("--noops 0..20000")
    return args


def redis_url() -> str:
    """Redis as the shared cache when the `redis` package is installed, else the default."""
    try:
        import redis  # noqa: F401
    except ImportError:
        return ""
    return REDIS_URL


def cyan_env(args: argparse.Namespace, standin) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = servers.cyan_env(args.database_url) | {
        "PICTIME_BASE_URL": standin.url,
        "PICTIME_CLIENT_ID": standin.client_id,
        "PICTIME_CLIENT_SECRET": standin.client_secret,
        "CYAN_POLL_INTERVAL_SECONDS": str(args.plan.poll_interval_s),
        "CYAN_POLL_TICK_SECONDS": str(args.plan.poll_tick_s),
    }
    if redis_url():
        env["CYAN_REDIS_URL"] = redis_url()
    return env


def seed(args: argparse.Namespace, workdir: Path) -> dict:
    imports = args.plan.count("import") + args.calibrate + 20
    per_studio = mix.items_per_studio(imports, args.studios)
    servers.recreate_database(args.database_url)
    servers.run_django_step(["manage.py", "migrate", "--noinput"], args.database_url)
    out = workdir / "seeded.json"
    servers.run_django_step(
        [str(HERE / "dbtool.py"), "seed", str(args.studios), str(per_studio), str(out)],
        args.database_url,
    )
    return json.loads(out.read_text())


def seed_standin(standin, studios: int) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from testkit.standin.server import _CYAN_ONLY_ENV

    env = {k: v for k, v in os.environ.items() if k not in _CYAN_ONLY_ENV} | standin.env
    done = subprocess.run([processes.PYTHON, str(HERE / "standin_seed.py"), str(studios)],
                          env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"seeding the stand-in failed:\n{done.stdout}\n{done.stderr}")


def calibrate(args, generator, meter_parts, baseline) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Each sent kind alone, closed loop at 4 connections: its CPU per request."""
    results = {}
    for kind in mix.SENT_KINDS:
        count = args.calibrate if kind != "import" else max(10, args.calibrate // 2)
        events = [mix.Event(0, kind, i % args.studios, 10_000_000 + i) for i in range(count)]
        with processes.Meter(meter_parts) as meter:
            outcome = closed_loop(generator, events, concurrency=4)
        results[kind] = outcome | report.per_request(meter.summary(), baseline, outcome["sent"])
        print(f"  {kind}: {report.short(results[kind])}", flush=True)
    return results


def calibrate_polls(args, meter_parts, baseline, not_ours: set[int]) -> dict:  # type: ignore[no-untyped-def]
    """A poll of every link at once, drained by the 2 workers: CPU per poll, polls/s."""
    with processes.Meter(meter_parts) as meter:
        since = time.time()
        servers.run_django_step([str(HERE / "dbtool.py"), "enqueue-polls"], args.database_url)
        # One poll per link: the polls that end schedule their next, which is held back.
        with taskqueue.PollsHeld(args.database_url, not_ours):
            drained = taskqueue.wait_drained(
                args.database_url, "poll_link_task", 600, (since, time.time())
            )
    span = max(drained["last_finish"] - drained["first_start"], 1e-9)
    tasks = taskqueue.pickup_lag(args.database_url, drained["first_start"] - 1,
                                 drained["last_finish"] + 1).get("poll_link_task", {})  # fmt: skip
    failed = tasks.get("failed", 0) + tasks.get("returned_error", 0)
    result = {
        "sent": drained["finished"],
        "ok": drained["finished"] - failed,
        "per_s": drained["finished"] / span,
        "p50_ms": 1000 * tasks.get("run_p50_s", 0),
        "p99_ms": 1000 * tasks.get("run_p99_s", 0),
        "drained": drained,
        "tasks": tasks,
    }
    result |= report.per_request(meter.summary(), baseline, drained["finished"])
    taskqueue.clear_finished(args.database_url, "poll_link_task")
    print(f"  poll: {report.short(result)}", flush=True)
    return result


def queue_ceiling(args, meter_parts, baseline, not_ours: set[int]) -> dict:  # type: ignore[no-untyped-def]
    """`--noops` near-empty tasks enqueued at once; how fast 2 workers drain them."""
    if not args.noops:
        return {}
    since = time.time()
    servers.run_django_step([str(HERE / "dbtool.py"), "enqueue-noops", str(args.noops)],
                            args.database_url)  # fmt: skip
    batch = (since, time.time())
    with taskqueue.PollsHeld(args.database_url, not_ours), processes.Meter(meter_parts) as meter:
        drained = taskqueue.wait_drained(args.database_url, "poll_link_task", 600, batch)
    span = max(drained["last_finish"] - drained["first_start"], 1e-9)
    result = {"tasks": drained["finished"], "tasks_per_s": drained["finished"] / span,
              "drained": drained}  # fmt: skip
    result |= report.per_request(meter.summary(), baseline, drained["finished"])
    taskqueue.clear_finished(args.database_url, "poll_link_task")
    print(f"  queue ceiling: {result['tasks_per_s']:.0f} tasks/s", flush=True)
    return result


def mixed(args, generator, meter_parts, not_ours: set[int]) -> dict:  # type: ignore[no-untyped-def]
    """The whole mix on its schedule (open loop) while the workers poll; the queue lag
    sampled every second (its connection left out of PostgreSQL's CPU)."""
    events = mix.schedule(args.plan, args.seed)
    taskqueue.spread_polls(args.database_url, args.plan.poll_interval_s)
    lag = taskqueue.LagSampler(args.database_url)
    not_ours.add(lag.backend_pid)
    started = time.time()
    with lag, processes.Meter(meter_parts) as meter:
        kinds = open_loop(generator, events, concurrency=args.concurrency)
    finished = time.time()
    lag.close()
    by_task = taskqueue.pickup_lag(args.database_url, started, finished)
    polls = by_task.get("poll_link_task", {})
    kinds["poll"] = {"sent": polls.get("started", 0), "ok": polls.get("started", 0)
                     - polls.get("failed", 0) - polls.get("returned_error", 0),
                     "per_s": polls.get("started", 0) / (finished - started)}  # fmt: skip
    return {"kinds": kinds, "queue_lag": lag.summary(), "tasks": by_task} | meter.summary()


def production_keys() -> None:
    """Keys of this run only: Cyan refuses to start with CYAN_DEBUG=false on the in-repo
    development keys, and the seed must encrypt with the key the servers decrypt with."""
    import secrets

    from cryptography.fernet import Fernet

    os.environ["CYAN_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["CYAN_FERNET_KEYS"] = Fernet.generate_key().decode()


def expected_totals(args, seeded: dict, calibration: dict, mixed_result: dict) -> dict:  # type: ignore[no-untyped-def]
    """What the database must hold if every order was stored once and every import made
    one sale: seeded items, plus each distinct order answered 200 (resends add nothing;
    a request dropped for being late was never sent)."""
    seeded_items = sum(len(studio["items"]) for studio in seeded["studios"])
    unique_mix = mixed_result["kinds"].get("webhook", {}).get("unique_ok", 0)
    orders = seeded_items + WARMUP + calibration["webhook"]["ok"] + unique_mix
    return {
        "inbox_items": orders,
        "inbox_deliveries": orders,
        "sales": WARMUP + calibration["import"]["ok"] + mixed_result["kinds"]["import"]["ok"],
    }


def main() -> int:
    args = parse_args()
    # SIGTERM (timeout, kill) unwinds like Ctrl-C, so `finally` stops what was started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    production_keys()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(servers.ROOT))
    from testkit.standin.server import start_standin

    workdir = Path(tempfile.mkdtemp(prefix="cyan-bench-scale-"))
    load_before = os.getloadavg()
    print(f"load average before: {load_before}; plan {args.plan.counts()}", flush=True)
    started_at = datetime.now(UTC)
    standin = start_standin(workdir / "pictime", PICTIME_WORKER="0")
    mix.require_loopback(standin.url)
    groups: list[processes.Group] = []
    web = None
    try:
        seeded = seed(args, workdir)
        seed_standin(standin, args.studios)
        print(f"seeded {args.studios} studios in {time.time() - started_at.timestamp():.0f} s",
              flush=True)  # fmt: skip
        env = cyan_env(args, standin)
        web = servers.start_gunicorn(
            "cyan", "cyan.wsgi:application", chdir=servers.ROOT, env=env, log_dir=RESULTS_DIR,
            ready_path="/health",
        )  # fmt: skip
        groups = [processes.start_worker(f"worker-{n}", env, RESULTS_DIR) for n in (1, 2)]
        secrets = [dbtool.webhook_secret(i) for i in range(args.studios)]
        run_tag = f"r{int(time.time())}"
        generator = Generator(f"http://{web.host}", Studios(seeded, secrets), run_tag)
        lag_pids: set[int] = set()
        database = servers.database_name(args.database_url)
        parts = {
            "web": web.pids,
            "worker": lambda: [pid for g in groups for pid in g.pids()],
            "postgres": lambda: [p for p in servers.backend_pids(database) if p not in lag_pids],
            "standin": lambda: processes.with_descendants(standin.process.pid),
        }
        time.sleep(3)  # the workers' start-up (their first rounds) out of the measures
        closed_loop(generator, [mix.Event(0, k, i, 20_000_000 + i) for k in mix.SENT_KINDS
                                for i in range(WARMUP)], concurrency=4)  # fmt: skip  # warm-up
        with processes.Meter(parts) as idle:
            time.sleep(10)
        baseline = idle.summary()
        print("per-kind cost (each kind alone):", flush=True)
        calibration = calibrate(args, generator, parts, baseline)
        calibration["poll"] = calibrate_polls(args, parts, baseline, lag_pids)
        ceiling = queue_ceiling(args, parts, baseline, lag_pids)
        print(f"mixed phase: {args.duration:.0f} s, {args.studios} studios at speed "
              f"{args.speed:g}", flush=True)  # fmt: skip
        mixed_result = mixed(args, generator, parts, lag_pids)
        alive = {g.name: g.alive() for g in groups}
    finally:
        for group in groups:
            group.stop()
        if web is not None:
            web.stop()
        standin.stop()
    totals = json.loads(servers.run_django_step([str(HERE / "dbtool.py"), "totals"],
                                                args.database_url))  # fmt: skip
    totals["expected"] = expected_totals(args, seeded, calibration, mixed_result)
    data = {
        "started_at": started_at.isoformat(), "args": {k: v for k, v in vars(args).items()
                                                       if k != "plan"},
        "plan": args.plan.counts() | {"simulated_hours": args.plan.simulated_hours,
                                      "poll_interval_s": args.plan.poll_interval_s},
        "redis": bool(redis_url()), "load_average_before": load_before,
        "load_average_after": os.getloadavg(), "idle_baseline": baseline,
        "calibration": calibration, "queue_ceiling": ceiling, "mixed": mixed_result,
        "workers_alive_at_end": alive, "totals": totals,
    }  # fmt: skip
    path = RESULTS_DIR / f"run-{started_at:%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    print(report.table(data))
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
