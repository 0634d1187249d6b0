"""Production settings refuse the in-repo development keys: `check --deploy` flags them
and the web application does not start with them; debug (`make run`, tests) still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent.parent
REAL_SECRET = "x7Qp2-real-production-secret-key-9f3k2m1n8b7v6c5x4z3l2k1j0h9g8f7"


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CYAN_", "DATABASE_URL"))}
    base |= {"CYAN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cyan.settings", **env}
    return subprocess.run(
        [sys.executable, *args], env=base, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def production(**env: str) -> dict[str, str]:
    return {"CYAN_DEBUG": "false", "CYAN_ALLOWED_HOSTS": "cyan.example", **env}


def real_keys() -> dict[str, str]:
    return {"CYAN_SECRET_KEY": REAL_SECRET, "CYAN_FERNET_KEYS": Fernet.generate_key().decode()}


@pytest.mark.parametrize(
    ("env", "codes"),
    [
        ({}, ["cyan.E001", "cyan.E002"]),
        ({"CYAN_SECRET_KEY": "", "CYAN_FERNET_KEYS": ""}, ["cyan.E001", "cyan.E002"]),
        ({"CYAN_SECRET_KEY": "short"}, ["cyan.E001"]),
        ({"CYAN_FERNET_KEYS": "not-a-fernet-key"}, ["cyan.E002"]),
    ],
    ids=["defaults", "missing", "weak secret", "invalid fernet"],
)
def test_check_deploy_flags_development_or_missing_keys(tmp_path, env, codes):
    result = run(["manage.py", "check", "--deploy"], tmp_path, **production(**env))
    assert result.returncode != 0
    for code in codes:
        assert code in result.stderr + result.stdout


def test_check_deploy_passes_cyans_checks_with_real_keys(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path, **production(**real_keys()))
    assert "cyan.E" not in result.stderr + result.stdout


def test_the_web_application_refuses_to_start_with_development_keys(tmp_path):
    refused = run(["-c", "import cyan.wsgi"], tmp_path, **production())
    assert refused.returncode != 0
    assert "CYAN_SECRET_KEY" in refused.stderr and "CYAN_FERNET_KEYS" in refused.stderr
    started = run(["-c", "import cyan.wsgi"], tmp_path, **production(**real_keys()))
    assert started.returncode == 0, started.stderr


def test_debug_still_runs_on_the_development_keys(tmp_path):
    assert run(["manage.py", "check"], tmp_path).returncode == 0
    assert run(["-c", "import cyan.wsgi"], tmp_path).returncode == 0
