"""Start the real Pic-Time stand-in (sandbox/pictime) as a subprocess for tests.

Importable by any app's tests:

    from testkit.standin.server import start_standin
    standin = start_standin(tmp_dir, "http://127.0.0.1/galleries/pictime/callback/",
                            PICTIME_ACCESS_TOKEN_SECONDS="30")
    standin.url, standin.control("POST", "/control/accounts", {...}), standin.stop()

A loopback redirect URI registered without a port matches any port (RFC 8252 §7.3, which
the stand-in's django-oauth-toolkit implements), so one stand-in serves every live server.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "sandbox" / "pictime" / "manage.py"
LOOPBACK_CALLBACK = "http://127.0.0.1/galleries/pictime/callback/"
CLIENT_ID = "cyan-demo-client"
CLIENT_SECRET = "cyan-demo-secret"
CONTROL_TOKEN = "standin-control"
DEMO_EMAIL = "photographer@pictime.test"
DEMO_PASSWORD = "pictime-demo"
# The URL Cyan pretends to live at in tests without a real Cyan server: the stand-in
# accepts any port on 127.0.0.1 for the registered loopback callback.
TEST_CYAN_BASE_URL = "http://127.0.0.1:8999"
# Cyan's own environment must not leak into the stand-in's Django.
_CYAN_ONLY_ENV = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CYAN_VAR_DIR")


def standin_available() -> bool:
    return MANAGE.exists()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StandIn:
    url: str
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return self.env.get("PICTIME_CLIENT_ID", CLIENT_ID)

    @property
    def client_secret(self) -> str:
        return self.env.get("PICTIME_CLIENT_SECRET", CLIENT_SECRET)

    def control(self, method: str, path: str, json: Any = None) -> requests.Response:
        """Call the stand-in's control API (creating accounts, placing orders…)."""
        token = self.env.get("PICTIME_CONTROL_TOKEN", CONTROL_TOKEN)
        return requests.request(
            method,
            f"{self.url}{path}",
            json=json,
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )

    def api(self, method: str, path: str, access_token: str, **kwargs: Any) -> requests.Response:
        """Call the resource API as Cyan would, e.g. to check a token still works."""
        return requests.request(
            method,
            f"{self.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=10,
            **kwargs,
        )

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def point_cyan_at(settings: Any, standin: StandIn, cyan_base_url: str = TEST_CYAN_BASE_URL) -> None:
    """Configure Cyan (pytest-django's `settings` fixture) to use `standin` as Pic-Time."""
    settings.PICTIME_BASE_URL = standin.url
    settings.PICTIME_CLIENT_ID = standin.client_id
    settings.PICTIME_CLIENT_SECRET = standin.client_secret
    settings.CYAN_BASE_URL = cyan_base_url


def start_standin(
    tmp_dir: Path, redirect_uri: str | list[str] = LOOPBACK_CALLBACK, **env: str
) -> StandIn:
    """Start the stand-in on a free loopback port with its own SQLite file in `tmp_dir`,
    wait for GET /health, and return it. Extra keyword arguments are environment
    variables (e.g. PICTIME_ACCESS_TOKEN_SECONDS="30")."""
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    uris = [redirect_uri] if isinstance(redirect_uri, str) else list(redirect_uri)
    settings_env = {
        "PICTIME_DB": str(tmp_dir / "pictime.sqlite3"),
        "PICTIME_PORT": str(port),
        "PICTIME_BASE_URL": url,
        "PICTIME_REDIRECT_URIS": " ".join(uris),
        **{key: str(value) for key, value in env.items()},
    }
    process_env = {k: v for k, v in os.environ.items() if k not in _CYAN_ONLY_ENV}
    process_env.update(settings_env)
    log_path = tmp_dir / "standin.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(MANAGE), "serve", "--port", str(port)],
            cwd=str(MANAGE.parent),
            env=process_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    standin = StandIn(url=url, port=port, process=process, log_path=log_path, env=settings_env)
    atexit.register(standin.stop)  # even if a fixture's teardown never runs
    _wait_for_health(standin, timeout=90)
    return standin


def _wait_for_health(standin: StandIn, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if standin.process.poll() is not None:
            raise RuntimeError(
                f"The Pic-Time stand-in exited with {standin.process.returncode}:\n"
                f"{standin.log()[-4000:]}"
            )
        try:
            if requests.get(f"{standin.url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    standin.stop()
    raise RuntimeError(
        f"The Pic-Time stand-in was not healthy in {timeout}s:\n{standin.log()[-4000:]}"
    )
