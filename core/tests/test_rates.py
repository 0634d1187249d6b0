"""CYAN_API_RATE_LIMIT and its kind: `N/period`, refused at startup when malformed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.rates import InvalidRate, parse_rate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("600/min", (600, 60)),
        ("5/sec", (5, 1)),
        ("100/hour", (100, 3600)),
        (" 7 / Day ", (7, 86400)),
    ],
)
def test_rates_parse(rate, parsed):
    assert parse_rate(rate) == parsed


@pytest.mark.parametrize(
    "rate", ["600", "lots/min", "0/min", "-5/min", "600/fortnight", "1.5/sec", ""]
)
def test_a_bad_rate_is_refused_with_what_to_write(rate):
    with pytest.raises(InvalidRate, match="N/sec, N/min, N/hour"):
        parse_rate(rate, name="CYAN_API_RATE_LIMIT")


def test_a_process_with_a_bad_limit_refuses_to_start():
    env = {**os.environ, "CYAN_API_RATE_LIMIT": "600 per minute"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: CYAN_API_RATE_LIMIT='600 per minute' is not a rate" in result.stderr
    )
