"""What observability costs, in-process and per call (no network, no gunicorn):

- the two middlewares (request id + latency histogram) around a view that does nothing;
- recording one request in the histogram;
- redacting one gunicorn access line, with and without a query string (every line);
- formatting one record as JSON (CYAN_LOG_FORMAT=json).

    .venv/bin/python benchmarks/observability/run.py
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
os.environ.setdefault("CYAN_VAR_DIR", "/tmp/cyan-bench-observability")

import django  # noqa: E402

django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from core import metrics  # noqa: E402
from cyan.log_redaction import RedactingFilter  # noqa: E402
from cyan.logs import ContextFilter, RedactedJsonFormatter, RequestIdMiddleware  # noqa: E402
from cyan.metrics import RequestMetricsMiddleware  # noqa: E402

CALLS, ROUNDS = 20000, 5
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0"


def us(function) -> float:
    """Median over rounds of the mean time of one call, in microseconds."""
    rounds = [timeit.timeit(function, number=CALLS) / CALLS * 1e6 for _ in range(ROUNDS)]
    return statistics.median(rounds)


def access_record(request_line: str) -> logging.LogRecord:
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s", (), None)
    record.args = {
        "h": "10.0.0.9", "t": "[03/Dec/2026:18:00:00 +0000]", "r": request_line, "s": "200",
        "b": "5120", "f": "https://cyan.example.com/contacts/", "a": UA,
    }  # fmt: skip
    return record


def main() -> None:
    request = RequestFactory().get("/health")
    response = HttpResponse("ok")
    both = RequestMetricsMiddleware(RequestIdMiddleware(lambda r: response))
    redacting, formatter = RedactingFilter(), RedactedJsonFormatter()
    record = logging.LogRecord("cyan.x", logging.INFO, "", 0, "Polled %s: %d new", ("p", 3), None)
    ContextFilter().filter(record)
    figures = {
        "both middlewares, around an empty view": us(lambda: both(request)),
        "one request into the histogram": us(
            lambda: metrics.request_served("GET", "health", 200, 0.001)
        ),
        "redacting an access line (no query)": us(
            lambda: redacting.filter(access_record("GET /contacts/ HTTP/1.1"))
        ),
        "redacting an access line (?q=…&page=…)": us(
            lambda: redacting.filter(access_record("GET /contacts/?q=Ann+Lee&page=2 HTTP/1.1"))
        ),
        "one record as JSON": us(lambda: formatter.format(record)),
    }
    for what, micros in figures.items():
        print(f"{what:42} {micros:7.1f} µs")


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)
    main()
