"""Every app of Cyan's own is shipped, tested and linted: an app added to INSTALLED_APPS
but missing from pyproject.toml once broke a newcomer's `cyan up` (the runtime install
left it out) and would have left its tests unrun by `make test`."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def own_apps() -> list[str]:
    """INSTALLED_APPS entries that are packages of this repository."""
    names = [entry.split(".")[0] for entry in settings.INSTALLED_APPS]
    return sorted({name for name in names if (ROOT / name / "__init__.py").exists()})


def test_there_are_apps_to_check():
    assert {"core", "inbox", "invoicing", "transfers", "notifications"} <= set(own_apps())


def test_every_own_app_is_in_the_installed_package():
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    missing = [app for app in own_apps() if not any(fnmatch.fnmatch(app, p) for p in patterns)]
    assert missing == []


def test_every_own_app_is_in_the_test_paths():
    paths = set(PYPROJECT["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = [app for app in own_apps() if (ROOT / app / "tests").is_dir()]
    assert [app for app in with_tests if app not in paths] == []


def test_every_own_app_is_first_party_for_the_linter():
    known = set(PYPROJECT["tool"]["ruff"]["lint"]["isort"]["known-first-party"])
    assert [app for app in own_apps() if app not in known] == []
