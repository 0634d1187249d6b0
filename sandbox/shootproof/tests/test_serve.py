"""End to end: ``manage.py serve`` as a real process on a free port, driven over HTTP the
way Cyan will drive it: log in, Approve, code for tokens, brands, orders, a refresh."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

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
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOOTPROOF_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "cyan.settings",  # must be ignored by manage.py
        "SHOOTPROOF_DB": str(tmp_path / "shootproof.sqlite3"),
        "SHOOTPROOF_CONTROL_TOKEN": "e2e-control",
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
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"{base}/health", timeout=1).json() == {"ok": True}:
                break
        except requests.RequestException:
            time.sleep(0.2)
    assert proc.poll() is None, (tmp_path / "serve.log").read_text()
    # The default registration is the loopback callback on any port (RFC 8252).
    redirect = f"http://127.0.0.1:{cyan_port}/galleries/shootproof/callback/"
    yield {"base": base, "redirect": redirect, "log": tmp_path / "serve.log"}
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def oauth_dance(base: str, redirect: str) -> dict:
    browser = requests.Session()
    params = {
        "response_type": "code",
        "client_id": "cyan-demo-client",
        "redirect_uri": redirect,
        "scope": "studio",
        "state": "e2e-state",
    }
    login_page = browser.get(f"{base}/oauth2/authorization/new", params=params)
    assert urlsplit(login_page.url).path == "/login/"
    approve = browser.post(
        f"{base}/login/",
        data={
            **hidden_inputs(login_page.text),
            "username": "photographer@shootproof.test",
            "password": "shootproof-demo",
        },
        headers={"Referer": login_page.url},
    )
    assert approve.status_code == 200 and "Approve" in approve.text
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
        f"{base}/oauth2/authorization/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": redirect,
        },
        auth=("cyan-demo-client", "cyan-demo-secret"),
        timeout=10,
    )
    assert token.status_code == 200, token.text
    return token.json()


def test_serve_end_to_end(server):
    base = server["base"]
    tokens = oauth_dance(base, server["redirect"])
    assert tokens["expires_in"] == 1209600
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    brands = requests.get(f"{base}/studio/brand", headers=bearer, timeout=10).json()["items"]
    assert [b["name"] for b in brands] == ["Juniper Lane Photography", "Juniper Lane Weddings"]
    placed = requests.post(
        f"{base}/control/orders",
        json={
            "account_email": "photographer@shootproof.test",
            "brand_id": brands[1]["id"],
            "count": 3,
            "seed": 1,
        },
        headers=CONTROL,
        timeout=30,
    )
    assert placed.status_code == 201, placed.text
    listed = requests.get(
        f"{base}/studio/brand/{brands[1]['id']}/order", headers=bearer, timeout=10
    ).json()
    assert listed["meta"]["totalItems"] == 3
    refreshed = requests.post(
        f"{base}/oauth2/authorization/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=("cyan-demo-client", "cyan-demo-secret"),
        timeout=10,
    )
    assert refreshed.status_code == 200
    old = requests.post(
        f"{base}/oauth2/authorization/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=("cyan-demo-client", "cyan-demo-secret"),
        timeout=10,
    )
    assert old.status_code == 400 and old.json()["error"] == "invalid_grant"


def refresh(base: str, refresh_token: str) -> requests.Response:
    return requests.post(
        f"{base}/oauth2/authorization/token",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=("cyan-demo-client", "cyan-demo-secret"),
        timeout=30,
    )


def race(base: str, refresh_token: str, clients: int) -> list[requests.Response]:
    """``clients`` refreshes with the same token, released together."""
    barrier = threading.Barrier(clients)
    answers: list[requests.Response] = []

    def one() -> None:
        barrier.wait()
        answers.append(refresh(base, refresh_token))

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_racing_refreshes_have_exactly_one_winner(server):
    """Several requests refresh with the same refresh token at once (a client's worker and
    web process, say): one gets the new pair, the others invalid_grant, and the winner's
    refresh token goes on working."""
    for _ in range(3):
        tokens = oauth_dance(server["base"], server["redirect"])
        answers = race(server["base"], tokens["refresh_token"], 4)
        assert sorted(a.status_code for a in answers) == [200, 400, 400, 400]
        assert all(a.json()["error"] == "invalid_grant" for a in answers if a.status_code == 400)
        (winner,) = (a.json() for a in answers if a.status_code == 200)
        assert refresh(server["base"], winner["refresh_token"]).status_code == 200


def test_serve_twice_keeps_one_demo_studio(server, tmp_path):
    """``serve`` is idempotent: a second bootstrap on the same database adds nothing."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHOOTPROOF_", "DJANGO_"))}
    env["SHOOTPROOF_DB"] = str(tmp_path / "shootproof.sqlite3")
    code = (
        "import django; django.setup();"
        "from spstandin import bootstrap; from spstandin.models import Brand;"
        "bootstrap.ensure_all(); print(Brand.objects.count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=str(MANAGE.parent),
        env=env | {"DJANGO_SETTINGS_MODULE": "shootproof_site.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "2"
