"""Profile the webhook view in-process (cProfile), without gunicorn or a load generator.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cyan_bench_webhooks \\
        .venv/bin/python benchmarks/webhooks/profile_view.py [--requests 300] [--top 30]

Run after run.py (it needs the seeded database). Posts fresh signed orders through
Django's test client (full middleware stack) and prints the costliest functions, so
the per-request CPU of the endpoint can be attributed without the noise of a load run.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

from dbtool import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = parser.parse_args()
    setup_django()
    from django.test import Client
    from payloads import WEBHOOK_PATH, build_deliveries

    client = Client()
    tag = f"p{int(time.time())}"
    deliveries = build_deliveries(args.requests, 0.0, tag, seed=1)
    warm = build_deliveries(20, 0.0, f"{tag}w", seed=2)
    for delivery in warm:  # first-request costs (URL resolver, imports) out of the profile
        post(client, WEBHOOK_PATH, delivery)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for delivery in deliveries:
        post(client, WEBHOOK_PATH, delivery)
    profiler.disable()
    elapsed = time.perf_counter() - started
    each_ms = 1000 * elapsed / args.requests
    print(f"{args.requests} webhooks in {elapsed:.2f} s under cProfile: {each_ms:.1f} ms each")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)


def post(client: object, path: str, delivery: object) -> None:
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in delivery.headers.items()}
    headers.pop("HTTP_CONTENT_TYPE")
    response = client.post(path, data=delivery.body, content_type="application/json", **headers)
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code}: {response.content[:300]!r}")


if __name__ == "__main__":
    main()
