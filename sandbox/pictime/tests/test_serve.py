"""End to end: ``manage.py serve`` as a real process on a free port, driven over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from standardwebhooks import Webhook

from .conftest import pkce_pair

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"
CONTROL = {"Authorization": "Bearer e2e-control"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        if tag == "input" and attr.get("type") == "hidden" and attr.get("name"):
            self.values[attr["name"]] = attr.get("value") or ""


def hidden_inputs(html: str) -> dict[str, str]:
    parser = Inputs()
    parser.feed(html)
    return parser.values


@pytest.fixture
def server(tmp_path):
    port, cyan_port = free_port(), free_port()
    redirect = f"http://127.0.0.1:{cyan_port}/galleries/pictime/callback/"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PICTIME_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "cyan.settings",  # must be ignored by manage.py
        "PICTIME_DB": str(tmp_path / "pictime.sqlite3"),
        "PICTIME_CONTROL_TOKEN": "e2e-control",
        "PICTIME_ACCESS_TOKEN_SECONDS": "5",
        "PICTIME_REDIRECT_URIS": redirect,
        "PICTIME_WEBHOOK_RETRY_SCHEDULE": "0.2,0.5",
    }
    log = open(tmp_path / "serve.log", "w+b")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(MANAGE), "serve", "--port", str(port)],
        cwd="/",
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if requests.get(f"{base}/health", timeout=1).json() == {"ok": True}:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        proc.kill()
    assert proc.poll() is None, (tmp_path / "serve.log").read_text()
    yield {"base": base, "redirect": redirect, "proc": proc, "log": tmp_path / "serve.log"}
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.close()


def oauth_dance(base: str, redirect: str) -> dict:
    browser = requests.Session()
    verifier, challenge = pkce_pair()
    params = {
        "response_type": "code",
        "client_id": "cyan-demo-client",
        "redirect_uri": redirect,
        "scope": "account:read orders:read webhooks:write",
        "state": "e2e-state",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    login_page = browser.get(f"{base}/oauth/authorize/", params=params)
    assert urlsplit(login_page.url).path == "/login/"
    fields = hidden_inputs(login_page.text)
    approve = browser.post(
        f"{base}/login/",
        data={**fields, "username": "photographer@pictime.test", "password": "pictime-demo"},
        headers={"Referer": login_page.url},
    )
    assert approve.status_code == 200 and "Approve" in approve.text and "Cyan" in approve.text
    decision = browser.post(
        approve.url,
        data={**hidden_inputs(approve.text), "allow": "Approve"},
        headers={"Referer": approve.url},
        allow_redirects=False,
    )
    assert decision.status_code == 302 and decision.headers["Location"].startswith(redirect)
    query = parse_qs(urlsplit(decision.headers["Location"]).query)
    assert query["state"] == ["e2e-state"]
    token = requests.post(
        f"{base}/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect,
            "code_verifier": verifier,
        },
        auth=("cyan-demo-client", "cyan-demo-secret"),
    )
    assert token.status_code == 200, token.text
    return token.json()


def test_serve_end_to_end(server, receiver):
    base = server["base"]
    tokens = oauth_dance(base, server["redirect"])
    assert tokens["expires_in"] == 5
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    hook = requests.post(f"{base}/api/v1/webhooks", json={"url": receiver.url}, headers=bearer)
    assert hook.status_code == 201
    receiver.statuses = [500]
    placed = requests.post(
        f"{base}/control/orders",
        json={"account_email": "photographer@pictime.test", "count": 1, "seed": 1},
        headers=CONTROL,
    )
    assert placed.status_code == 201
    order_id = placed.json()["data"][0]["id"]
    deadline = time.monotonic() + 15
    while len(receiver.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [r["status"] for r in receiver.received] == [500, 200], server["log"].read_text()
    payload = Webhook(hook.json()["secret"]).verify(
        receiver.received[1]["body"], receiver.received[1]["headers"]
    )
    assert payload["data"]["order"]["id"] == order_id
    gallery_url = payload["data"]["order"]["gallery"]["url"]
    assert gallery_url.startswith(base + "/g/")
    assert requests.get(gallery_url).status_code == 200

    deadline = time.monotonic() + 15
    while requests.get(f"{base}/api/v1/account", headers=bearer).status_code == 200:
        assert time.monotonic() < deadline, "the access token never expired"
        time.sleep(0.5)
    fresh = requests.post(
        f"{base}/oauth/token/",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=("cyan-demo-client", "cyan-demo-secret"),
    )
    assert fresh.status_code == 200
    again = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(
                lambda _: requests.get(f"{base}/api/v1/orders", headers=again).status_code,
                range(16),
            )
        )
    assert codes == [200] * 16

    server["proc"].send_signal(signal.SIGTERM)
    assert server["proc"].wait(timeout=20) == 0
