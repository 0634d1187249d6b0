"""Real server processes for the tests under tests/: two gunicorn servers on one fresh
SQLite database, as N web processes run in production."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
EMAIL, PASSWORD = "owner@example.test", "a-long-test-password-4821"
API_BUDGET, ACCOUNT_FAILURES = 12, 4
SETUP = f"""
from accounts.services import create_studio
from api.services import generate_api_key
studio, _ = create_studio(name="Shared", owner_email="{EMAIL}", owner_password="{PASSWORD}")
print("KEY=" + generate_api_key(studio=studio, name="t")[1])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(120):
        assert process.poll() is None, "server exited"
        try:
            if requests.get(f"{url}/health", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer")


@dataclass(frozen=True)
class Servers:
    urls: list[str]
    api_key: str
    access_logs: list[Path]


@pytest.fixture(scope="session")
def two_servers(tmp_path_factory) -> Iterator[Servers]:
    var = tmp_path_factory.mktemp("shared")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "CYAN_VAR_DIR": str(var),
        "CYAN_API_RATE_LIMIT": f"{API_BUDGET}/day",
        "CYAN_LOGIN_ACCOUNT_FAILURES": str(ACCOUNT_FAILURES),
        "DJANGO_SETTINGS_MODULE": "cyan.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True
    )
    key = re.search(r"KEY=(\S+)", setup.stdout.decode()).group(1)
    urls, processes, logs = [], [], []
    try:
        for n in range(2):
            port = free_port()
            logs.append(var / f"access-{n}.log")
            command = [sys.executable, "-m", "gunicorn", "cyan.wsgi:application",
                       "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                       "--access-logfile", str(logs[-1]), "--chdir", str(ROOT)]  # fmt: skip
            processes.append(subprocess.Popen(command, env=env, cwd=ROOT))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield Servers(urls, key, logs)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
