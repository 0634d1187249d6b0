"""Start the real ShootProof stand-in (sandbox/shootproof) as a subprocess for tests, and
the session fixture ``shootproof_standin`` (registered by the root conftest).

    from testkit.standin.shootproof import start_shootproof
    sp = start_shootproof(tmp_dir, SHOOTPROOF_ACCESS_TOKEN_SECONDS="30")
    sp.url, sp.control("POST", "/control/accounts", {...}), sp.api("GET", "/studio/brand", token)
    sp.user(email, password).authorise(authorize_url)  # log in + Approve, no browser
    sp.stop()

A loopback redirect URI registered without a port matches any port (RFC 8252 §7.3), so
one stand-in serves every live server.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from testkit.standin.server import free_port
from testkit.standin.user import StandInUser

REPO = Path(__file__).resolve().parents[2]
MANAGE = REPO / "sandbox" / "shootproof" / "manage.py"
LOOPBACK_CALLBACKS = (
    "http://127.0.0.1/galleries/shootproof/callback/",
    "http://localhost/galleries/shootproof/callback/",
)
CLIENT_ID = "cyan-demo-client"
CLIENT_SECRET = "cyan-demo-secret"
CONTROL_TOKEN = "standin-control"
DEMO_EMAIL = "photographer@shootproof.test"
DEMO_PASSWORD = "shootproof-demo"
MEDIA_TYPE = "application/vnd.shootproof+json"
TEST_CYAN_BASE_URL = "http://127.0.0.1:8999"
_CYAN_ONLY_ENV = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CYAN_VAR_DIR")


@dataclass
class ShootProofStandIn:
    url: str
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return self.env.get("SHOOTPROOF_CLIENT_ID", CLIENT_ID)

    @property
    def client_secret(self) -> str:
        return self.env.get("SHOOTPROOF_CLIENT_SECRET", CLIENT_SECRET)

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/authorization/token"

    def control(self, method: str, path: str, json: Any = None) -> requests.Response:
        """The control API: accounts, orders, refund/cancel/delete, faults."""
        token = self.env.get("SHOOTPROOF_CONTROL_TOKEN", CONTROL_TOKEN)
        return requests.request(
            method,
            f"{self.url}{path}",
            json=json,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def api(self, method: str, path: str, access_token: str, **kwargs: Any) -> requests.Response:
        """The Studio API as Cyan calls it; ``path`` starts with /studio."""
        headers = {"Authorization": f"Bearer {access_token}", "Accept": MEDIA_TYPE}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)

    def user(self, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> StandInUser:
        """A photographer who logs in and presses Approve (or Deny) without a browser."""
        return StandInUser(self.url, email=email, password=password)

    def set_fault(self, mode: str, **options: Any) -> dict:
        response = self.control("POST", "/control/faults", {"mode": mode, **options})
        response.raise_for_status()
        return response.json()

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


def point_cyan_at_shootproof(
    settings: Any, standin: ShootProofStandIn, cyan_base_url: str = TEST_CYAN_BASE_URL
) -> None:
    """Configure Cyan (pytest-django's ``settings``) to use ``standin`` as ShootProof."""
    settings.SHOOTPROOF_BASE_URL = standin.url
    settings.SHOOTPROOF_CLIENT_ID = standin.client_id
    settings.SHOOTPROOF_CLIENT_SECRET = standin.client_secret
    settings.CYAN_BASE_URL = cyan_base_url


def start_shootproof(
    tmp_dir: Path,
    redirect_uris: str | list[str] | tuple[str, ...] = LOOPBACK_CALLBACKS,
    **env: str,
) -> ShootProofStandIn:
    """Start the stand-in on a free loopback port with its own SQLite file in ``tmp_dir``,
    wait for GET /health, and return it. Keyword arguments are environment variables
    (e.g. SHOOTPROOF_ACCESS_TOKEN_SECONDS="2")."""
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    uris = [redirect_uris] if isinstance(redirect_uris, str) else list(redirect_uris)
    settings_env = {
        "SHOOTPROOF_DB": str(tmp_dir / "shootproof.sqlite3"),
        "SHOOTPROOF_PORT": str(port),
        "SHOOTPROOF_BASE_URL": url,
        "SHOOTPROOF_REDIRECT_URIS": " ".join(uris),
        **{key: str(value) for key, value in env.items()},
    }
    process_env = {k: v for k, v in os.environ.items() if k not in _CYAN_ONLY_ENV}
    process_env.update(settings_env)
    log_path = tmp_dir / "shootproof.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, str(MANAGE), "serve", "--port", str(port)],
            cwd=str(MANAGE.parent),
            env=process_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    standin = ShootProofStandIn(
        url=url, port=port, process=process, log_path=log_path, env=settings_env
    )
    atexit.register(standin.stop)  # even if a fixture's teardown never runs
    _wait_for_health(standin, timeout=90)
    return standin


def _wait_for_health(standin: ShootProofStandIn, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if standin.process.poll() is not None:
            raise RuntimeError(
                f"The ShootProof stand-in exited with {standin.process.returncode}:\n"
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
        f"The ShootProof stand-in was not healthy in {timeout}s:\n{standin.log()[-4000:]}"
    )


@pytest.fixture(scope="session")
def shootproof_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShootProofStandIn]:
    """One ShootProof stand-in for the whole session (its own SQLite file in a temp dir)."""
    standin = start_shootproof(tmp_path_factory.mktemp("shootproof"))
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def short_lived_shootproof(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ShootProofStandIn]:
    """A ShootProof stand-in whose access tokens live 2 seconds, for real expiry."""
    standin = start_shootproof(
        tmp_path_factory.mktemp("shootproof-short"), SHOOTPROOF_ACCESS_TOKEN_SECONDS="2"
    )
    yield standin
    standin.stop()


@pytest.fixture
def shootproof_account(shootproof_standin: ShootProofStandIn) -> dict:
    """A fresh studio per test with two brands (each with two events), so no other test's
    orders or notifications mix in: {email, password, name, brands: [{id, name, events}]}."""
    body = {
        "email": f"sp{os.urandom(4).hex()}@shootproof.test",
        "password": "secret-pw",
        "brands": ["Hillside Portraits", "Hillside Weddings"],
    }
    response = shootproof_standin.control("POST", "/control/accounts", body)
    assert response.status_code == 201, response.text
    return response.json()
