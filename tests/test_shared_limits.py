"""Two real web processes share one budget: the API rate limit and login throttling
count in the shared cache, not per process (issue #10: 1,200 served against 600/min).

Two gunicorn servers, each its own process, run on one fresh SQLite database (whose
cache table is the shared cache); the test alternates between them.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory) -> Iterator[tuple[list[str], str]]:
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
    urls, processes = [], []
    try:
        for _ in range(2):
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "cyan.wsgi:application",
                       "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
                       "--chdir", str(ROOT)]  # fmt: skip
            processes.append(subprocess.Popen(command, env=env, cwd=ROOT))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield urls, key
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def test_the_api_budget_is_shared_by_every_process(two_servers):
    urls, key = two_servers
    headers = {"Authorization": f"Bearer {key}"}
    served = {url: 0 for url in urls}
    refused = 0
    for n in range(API_BUDGET * 2):
        url = urls[n % 2]
        status = requests.get(f"{url}/api/v1/me", headers=headers, timeout=30).status_code
        assert status in (200, 429)
        if status == 200:
            served[url] += 1
        else:
            refused += 1
    assert sum(served.values()) == API_BUDGET  # per process, it would be twice that
    assert all(served.values()) and refused == API_BUDGET


def test_failed_logins_count_across_processes(two_servers):
    urls, _key = two_servers
    browser = requests.Session()
    browser.get(f"{urls[0]}/accounts/login/", timeout=30)

    def log_in(url: str, password: str) -> int:
        data = {"username": EMAIL, "password": password}
        data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"]
        headers = {"Referer": f"{url}/accounts/login/"}
        return browser.post(
            f"{url}/accounts/login/", data=data, headers=headers, allow_redirects=False, timeout=30
        ).status_code

    statuses = [log_in(urls[n % 2], "wrong") for n in range(ACCOUNT_FAILURES)]
    assert statuses == [200] * ACCOUNT_FAILURES
    assert log_in(urls[1], PASSWORD) == 429
    assert log_in(urls[0], PASSWORD) == 429
