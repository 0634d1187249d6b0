"""Webhook benchmark: signed Pic-Time order webhooks (a share of them exact resends) against
Cyan on gunicorn + PostgreSQL, and the same load against a bare Django view as the ceiling.

    .venv/bin/python benchmarks/webhooks/run.py [--requests 5000] [--concurrency 8]
                                                [--duplicates 0.1] [--drop]

Loopback only, bounded: every request is sent once (capped at --requests, 10 s timeout
each, the run at 240 s), servers are stopped at the end, also on Ctrl-C or an error.
The database (default cyan_bench_webhooks) is re-created per run and left for inspection
unless --drop. After the Cyan run it checks that every unique order is stored once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import servers  # noqa: E402
from load import LoadResult, run_python_client, run_wrk, wrk_available  # noqa: E402
from payloads import BARE_PATH, WEBHOOK_PATH, Delivery, build_deliveries  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks"
MAX_REQUESTS = 50_000
RESULTS_DIR = servers.ROOT / "var" / "bench" / "webhooks"
TARGET_SHARE_OF_CEILING = 0.5
TARGET_P99_MS = 100.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="measured requests")
    parser.add_argument("--concurrency", type=int, default=8, help="connections in flight")
    parser.add_argument("--duplicates", type=float, default=0.1, help="share of exact resends")
    parser.add_argument("--warmup", type=int, default=300, help="unmeasured requests first")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=("cyan", "bare"), help="run one side only")
    parser.add_argument(
        "--variant",
        choices=("app", "recommended", "defer"),
        default="app",
        help="serve Cyan's own view (app) or a what-if copy from whatif.py",
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be between 1 and 256")
    if not 0 <= args.duplicates < 0.5:
        parser.error("--duplicates must be in [0, 0.5)")
    if args.client == "auto":
        args.client = "wrk" if wrk_available() else "python"
    if args.client == "wrk" and not wrk_available():
        parser.error("wrk is not installed (apt-get install -y wrk), or use --client python")
    return args


def fire(args: argparse.Namespace, deliveries: list[Delivery], server: servers.Server,
         path: str) -> dict[str, object]:  # fmt: skip
    """Send every delivery once; the load figures plus where the CPU went meanwhile.

    Other sessions may share this machine: the CPU not spent by this run's gunicorn,
    its PostgreSQL backends or the client is reported as `other_cpu_s`.
    """
    load_average = os.getloadavg()[0]
    database = servers.database_name(args.database_url) if path == WEBHOOK_PATH else None

    def backends() -> list[int]:
        return servers.backend_pids(database) if database else []

    busy_before, total_before = servers.machine_busy_seconds()
    with servers.CpuSampler(server.pids) as gunicorn, servers.CpuSampler(backends) as postgres:
        if args.client == "wrk":
            result = run_wrk(deliveries, host=server.host, path=path,
                             concurrency=args.concurrency, threads=args.wrk_threads,
                             cpu_of=servers.cpu_seconds)  # fmt: skip
        else:
            result = run_python_client(
                deliveries, host=server.host, path=path, concurrency=args.concurrency
            )
    busy_after, total_after = servers.machine_busy_seconds()
    server_cpu, postgres_cpu = gunicorn.seconds, postgres.seconds
    busy = busy_after - busy_before
    return {
        "result": result,
        "load_average_before": load_average,
        "machine_busy_pct": 100 * busy / max(total_after - total_before, 1e-9),
        "server_cpu_s": server_cpu,
        "postgres_cpu_s": postgres_cpu,
        "other_cpu_s": max(0.0, busy - server_cpu - postgres_cpu - result.client_cpu_s),
        "server_cpu_ms_per_request": 1000 * server_cpu / max(result.sent, 1),
        "postgres_cpu_ms_per_request": 1000 * postgres_cpu / max(result.sent, 1),
        # What 2 cores could serve if nothing else ran: contention-independent (mostly).
        "cpu_bound_req_per_s": 2
        * max(result.sent, 1)
        / max(server_cpu + postgres_cpu + result.client_cpu_s, 1e-9),
    }


def bench_cyan(args: argparse.Namespace, run_tag: str) -> dict[str, object]:
    servers.recreate_database(args.database_url)
    servers.run_django_step(["manage.py", "migrate", "--noinput"], args.database_url)
    servers.run_django_step([str(HERE / "dbtool.py"), "seed"], args.database_url)
    warmup = build_deliveries(args.warmup, args.duplicates, f"w{run_tag}", args.seed + 1)
    measured = build_deliveries(args.requests, args.duplicates, run_tag, args.seed)
    app, env, extra = "cyan.wsgi:application", servers.cyan_env(args.database_url), ()
    if args.variant != "app":  # Cyan with its webhook view swapped (benchmark-only copy)
        app, env["BENCH_VARIANT"] = "variant_wsgi:application", args.variant
        extra = ("--pythonpath", str(HERE))
    server = servers.start_gunicorn(
        "cyan", app, chdir=servers.ROOT, env=env, log_dir=RESULTS_DIR, ready_path="/health",
        extra_args=extra,
    )  # fmt: skip
    try:
        if warmup:
            fire(args, warmup, server, WEBHOOK_PATH)
        outcome = fire(args, measured, server, WEBHOOK_PATH)
    finally:
        server.stop()
    stored = json.loads(
        servers.run_django_step([str(HERE / "dbtool.py"), "counts"], args.database_url)
    )
    outcome["exactly_once"] = exactly_once(stored, warmup + measured, args.variant == "defer")
    return outcome


def exactly_once(stored: dict[str, int], sent: list[Delivery], deferred: bool) -> dict[str, object]:
    unique_orders = len({d.order_id for d in sent})
    unique_ids = len({d.webhook_id for d in sent})
    if deferred:  # the "defer" variant keeps raw deliveries for a worker, no items yet
        checks = {"deferred deliveries == unique webhook-ids": stored["deferred"] == unique_ids}
        return {"passed": all(checks.values()), "checks": checks, "stored": stored}
    checks = {
        "items == unique orders": stored["items"] == unique_orders,
        "distinct order ids == unique orders": stored["distinct_order_ids"] == unique_orders,
        "deliveries == unique webhook-ids": stored["deliveries"] == unique_ids,
        "distinct webhook-ids == unique webhook-ids": stored["distinct_webhook_ids"] == unique_ids,
        "one delivery per item": stored["most_deliveries_per_item"] == 1,
        "no item with a mapping error": stored["items_with_errors"] == 0,
    }
    return {
        "passed": all(checks.values()),
        "checks": checks,
        "stored": stored,
        "sent": len(sent),
        "unique_orders": unique_orders,
        "unique_webhook_ids": unique_ids,
    }


def bench_bare(args: argparse.Namespace, run_tag: str) -> dict[str, object]:
    warmup = build_deliveries(args.warmup, args.duplicates, f"w{run_tag}", args.seed + 1)
    measured = build_deliveries(args.requests, args.duplicates, run_tag, args.seed)
    server = servers.start_gunicorn(
        "bare", "bare.wsgi:application", chdir=HERE, env=servers.bare_env(),
        log_dir=RESULTS_DIR, ready_path=BARE_PATH,
    )  # fmt: skip
    try:
        if warmup:
            fire(args, warmup, server, BARE_PATH)
        return fire(args, measured, server, BARE_PATH)
    finally:
        server.stop()


def describe(name: str, outcome: dict[str, object]) -> str:
    r: LoadResult = outcome["result"]  # type: ignore[assignment]
    return (
        f"{name:<5} {r.req_per_s:8.1f} req/s  p50 {r.p50_ms:6.1f} ms  p90 {r.p90_ms:6.1f} ms  "
        f"p99 {r.p99_ms:6.1f} ms  max {r.max_ms:6.1f} ms  ok {r.ok}/{r.sent}  failed {r.failed}  "
        f"socket errors {r.socket_errors or '-'}\n"
        f"      CPU over {r.seconds:.1f} s: machine {outcome['machine_busy_pct']:.0f}% of 2 cores "
        f"(load avg before {outcome['load_average_before']:.1f}); gunicorn "
        f"{outcome['server_cpu_s']:.1f} s ({outcome['server_cpu_ms_per_request']:.2f} ms/req), "
        f"postgres {outcome['postgres_cpu_s']:.1f} s "
        f"({outcome['postgres_cpu_ms_per_request']:.2f} ms/req), client {r.client_cpu_s:.1f} s, "
        f"other processes {outcome['other_cpu_s']:.1f} s\n"
        f"      CPU-bound capacity (2 cores / CPU per request): "
        f"{outcome['cpu_bound_req_per_s']:.0f} req/s"
    )


def report(args: argparse.Namespace, outcomes: dict[str, dict[str, object]]) -> bool:
    print(f"\n{args.requests} requests ({args.duplicates:.0%} resends), concurrency "
          f"{args.concurrency}, client {args.client}")  # fmt: skip
    for name, outcome in outcomes.items():
        print(describe(name, outcome))
    good = all(o["result"].failed == 0 for o in outcomes.values())  # type: ignore[attr-defined]
    if "cyan" in outcomes:
        check = outcomes["cyan"]["exactly_once"]
        print(f"exactly once: {'PASS' if check['passed'] else 'FAIL'} {check['stored']}")  # type: ignore[index]
        good = good and check["passed"]  # type: ignore[index]
    if {"cyan", "bare"} <= outcomes.keys():
        cyan, bare = outcomes["cyan"]["result"], outcomes["bare"]["result"]
        share = cyan.req_per_s / bare.req_per_s  # type: ignore[attr-defined]
        capacity_share = (
            outcomes["cyan"]["cpu_bound_req_per_s"] / outcomes["bare"]["cpu_bound_req_per_s"]  # type: ignore[operator]
        )
        print(f"Cyan / ceiling: {share:.1%} measured, {capacity_share:.1%} by CPU-bound capacity "
              f"(target ≥ {TARGET_SHARE_OF_CEILING:.0%}); Cyan p99 {cyan.p99_ms:.1f} ms "
              f"(target < {TARGET_P99_MS:.0f} ms)")  # type: ignore[attr-defined]  # fmt: skip
    return good


def save(args: argparse.Namespace, outcomes: dict[str, dict[str, object]]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    data = {"args": vars(args)} | {
        name: {**o, "result": vars(o["result"]) | {"req_per_s": o["result"].req_per_s}}  # type: ignore[attr-defined]
        for name, o in outcomes.items()
    }
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def main() -> int:
    args = parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    run_tag = f"{int(time.time())}"
    outcomes: dict[str, dict[str, object]] = {}
    try:
        if args.only in (None, "cyan"):
            outcomes["cyan"] = bench_cyan(args, run_tag)
        if args.only in (None, "bare"):
            outcomes["bare"] = bench_bare(args, run_tag)
    finally:
        if args.drop and args.only != "bare":
            servers.drop_database(args.database_url)
    good = report(args, outcomes)
    print(f"saved {save(args, outcomes)}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
