"""The Inbox's one way in (inbox.intake): no callback lists registered at import time;
what follows a receipt (auto-import, the imported sale's update) is called explicitly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inbox import services

ROOT = Path(__file__).resolve().parents[2]


def test_inbox_services_keeps_no_callback_lists():
    lists = [name for name, value in vars(services).items() if isinstance(value, list | tuple)]
    assert lists == []
    assert not hasattr(services, "new_order_received")
    assert not hasattr(services, "imported_order_updated")


def test_importing_inbox_services_does_not_import_the_importer():
    """Run in a fresh interpreter: the test session has imported everything already."""
    code = (
        "import sys, django; django.setup(); import inbox.services; "
        "print(sorted(m for m in sys.modules if m in "
        "{'inbox.importing', 'inbox.intake', 'inbox.auto_import', 'inbox.imported_updates'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "cyan.settings", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.django_db
def test_an_auto_import_matches_the_contact_once(
    studio, ada, monkeypatch, django_capture_on_commit_callbacks
):
    from inbox import import_window
    from testkit.factories import receive

    calls = []
    real = import_window.find_matches
    monkeypatch.setattr(import_window, "find_matches", lambda **kw: calls.append(kw) or real(**kw))
    studio.auto_import_certain_matches = True
    studio.save()
    with django_capture_on_commit_callbacks(execute=True):
        item = receive(studio)
    item.refresh_from_db()
    assert item.state == "imported" and item.sale.contact == ada
    assert len(calls) == 1


@pytest.mark.django_db
def test_an_item_parses_its_order_once(studio):
    from testkit.factories import receive

    item = receive(studio)
    assert item.__dict__.get("order") is not None  # set by the receiving service
    item.refresh_from_db()
    assert "order" not in item.__dict__
    first = item.order
    assert item.order is first
