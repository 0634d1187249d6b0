"""Observability on a real server: two gunicorn processes sharing a metrics directory
answer one truth at /metrics, and their JSON logs carry the request id but never a
secret or a client's details."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from cyan.cli import serve_command
from tests.conftest import ROOT, SETUP, free_port, wait_until_up

NAME, EMAIL = "Annabel Quiller", "annabel.quiller@example.net"
TOKEN, HOOK_SECRET = "tok-9f8e7d6c5b", "whsec_c2VjcmV0LWZvci1sb2dzLXRlc3Q="


@dataclass(frozen=True)
class Server:
    url: str
    api_key: str
    log: Path
    metrics_dir: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    var = tmp_path_factory.mktemp("observed")
    metrics_dir = var / "metrics"
    metrics_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "CYAN_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "cyan.settings",
        "CYAN_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True
    )
    key = re.search(r"KEY=(\S+)", setup.stdout.decode()).group(1)
    port, log = free_port(), var / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            serve_command(port, workers=2), env=env, cwd=ROOT, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield Server(url, key, log, metrics_dir)
    finally:
        process.terminate()
        process.wait(timeout=30)


def health_count(server: Server) -> float:
    text = requests.get(f"{server.url}/metrics", timeout=30).text
    pattern = (
        r"cyan_http_request_duration_seconds_count"
        r'\{method="GET",route="health",status="200"\} (\S+)'
    )
    found = re.search(pattern, text)
    return float(found.group(1)) if found else 0.0


def test_metrics_count_the_requests_every_process_served(server):
    before = health_count(server)
    for _ in range(30):  # each on a new connection: either process may take it
        assert requests.get(f"{server.url}/health", timeout=30).status_code == 200
    # Whichever process answers the scrape, it adds up every process's file.
    assert health_count(server) == before + 30
    assert list(server.metrics_dir.glob("histogram_*.db"))


def test_json_logs_carry_the_request_id_and_no_secret_or_customer_data(server):
    auth = {"Authorization": f"Bearer {server.api_key}"}
    contact = {"first_name": "Annabel", "last_name": "Quiller", "emails": [{"email": EMAIL}],
               "notes": f"webhook secret {HOOK_SECRET}"}  # fmt: skip
    created = requests.post(
        f"{server.url}/api/v1/contacts",
        json=contact,
        headers={**auth, "X-Request-ID": "req-obs-1"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    assert created.headers["X-Request-ID"] == "req-obs-1"
    searched = requests.get(
        f"{server.url}/api/v1/contacts",
        params={"q": EMAIL},
        headers={**auth, "X-Request-ID": f"id-{EMAIL}"},  # not an id: replaced
        timeout=30,
    )
    assert searched.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", searched.headers["X-Request-ID"])
    page = requests.get(
        f"{server.url}/contacts/", params={"q": NAME}, allow_redirects=False, timeout=30
    )
    callback = requests.get(
        f"{server.url}/galleries/pictime/callback/",
        params={"code": TOKEN, "state": "s1"},
        allow_redirects=False,
        timeout=30,
    )
    assert callback.status_code < 500
    hook = requests.post(
        f"{server.url}/galleries/webhooks/pictime/",
        data=json.dumps({"customer": {"name": NAME, "email": EMAIL}, "secret": HOOK_SECRET}),
        headers={"Content-Type": "application/json", "webhook-signature": f"v1,{TOKEN}"},
        timeout=30,
    )
    assert (page.status_code, hook.status_code) == (302, 401)
    last_id = hook.headers["X-Request-ID"]

    text = wait_for(server.log, last_id)
    for secret in (server.api_key, server.api_key.rsplit("_", 1)[-1], TOKEN, HOOK_SECRET,
                   EMAIL, "annabel.quiller", NAME, "Quiller", "Annabel+Quiller"):  # fmt: skip
        assert secret not in text, f"{secret!r} is in the log"

    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    served = [line for line in lines if line.get("name") == "cyan.request"]
    first = next(line for line in served if line.get("request_id") == "req-obs-1")
    assert (first["route"], first["status"], first["method"]) == (
        "api-v1:list_contacts",
        201,
        "POST",
    )
    access = [line for line in lines if line.get("name") == "gunicorn.access"]
    assert any(line.get("request_id") == "req-obs-1" for line in access)
    assert any(line.get("request_id") == last_id for line in served)
    # Every line is JSON, but the gunicorn master's own few (it never loads Cyan).
    master = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:]+ \+0000\] \[\d+\] \[INFO\] ")
    plain = [line for line in text.splitlines() if not line.startswith("{")]
    assert [line for line in plain if not master.match(line)] == []
    assert all(
        isinstance(line["timestamp"], str) and line["timestamp"][:2] == "20" for line in lines
    )


def wait_for(log: Path, needle: str) -> str:
    for _ in range(100):  # gunicorn writes its access line after the response
        text = log.read_text(errors="replace")
        if text.count(needle) >= 2:
            return text
        time.sleep(0.1)
    return log.read_text(errors="replace")
