"""/metrics: who may scrape, and that each counted thing is counted where it happens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import REGISTRY

from galleries.providers import ProviderError
from inbox.importing import import_item
from inbox.sync import poll_link
from testkit.factories import receive
from testkit.payloads import event_body, order_json, signed_headers
from testkit.standin.oauth import link_via_fake

WEBHOOK = "/galleries/webhooks/pictime/"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


@pytest.mark.django_db
def test_loopback_may_scrape_and_a_forwarded_or_remote_request_may_not(client):
    assert "cyan_queue_ready_tasks" in scrape(client)  # the test client is 127.0.0.1
    # Through a reverse proxy on this machine the address is loopback too: the proxy's
    # X-Forwarded-For shows the request came from elsewhere.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_a_bearer_token_opens_metrics_from_anywhere(client, settings):
    settings.CYAN_METRICS_TOKEN = "scrape-token-8d1c"
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token-8d1c", **remote)
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0000", **remote)
    assert wrong.status_code == 403
    assert client.get("/metrics", **remote).status_code == 403


@pytest.mark.django_db
def test_webhooks_are_counted_accepted_or_refused_with_the_reason(client, pictime_link):
    accepted = sample("cyan_webhooks_total", provider="pictime", outcome="accepted", reason="")
    refused = {"provider": "pictime", "outcome": "refused"}
    unsigned = sample("cyan_webhooks_total", **refused, reason="unsigned")
    media = sample("cyan_webhooks_total", **refused, reason="unsupported_media_type")

    body = event_body(order_json())
    client.post(WEBHOOK, data=body, content_type="application/json", **signed_headers(body))
    client.post(WEBHOOK, data=body, content_type="application/json")
    client.post(WEBHOOK, data=body, content_type="text/plain")

    labels = {"provider": "pictime", "outcome": "accepted", "reason": ""}
    assert sample("cyan_webhooks_total", **labels) == accepted + 1
    assert sample("cyan_webhooks_total", **refused, reason="unsigned") == unsigned + 1
    assert sample("cyan_webhooks_total", **refused, reason="unsupported_media_type") == media + 1
    assert 'cyan_webhooks_total{outcome="refused",provider="pictime",reason="unsigned"}' in (
        scrape(client)
    )


@pytest.mark.django_db
def test_polls_are_counted_and_so_are_their_failures(studio, owner, fake_pictime):
    from api.services import generate_api_key

    generate_api_key(studio=studio)
    link = link_via_fake(studio, owner, fake_pictime)
    link.refresh_from_db()
    ok, failed = (
        sample("cyan_polls_total", provider="pictime", outcome=o) for o in ("ok", "failed")
    )
    poll_link(link=link)
    fake_pictime.orders_error = ProviderError("Pic-Time answered 503", status=503)
    poll_link(link=link)
    assert sample("cyan_polls_total", provider="pictime", outcome="ok") == ok + 1
    assert sample("cyan_polls_total", provider="pictime", outcome="failed") == failed + 1


@pytest.mark.django_db
def test_imports_and_their_contact_matches_are_counted(studio, ada):
    imports = sample("cyan_imports_total", source="pictime")
    certain = sample("cyan_import_matches_total", outcome="match")
    item = receive(studio)
    import_item(item=item)
    import_item(item=item)  # already imported: no second sale, no second count
    assert sample("cyan_imports_total", source="pictime") == imports + 1
    assert sample("cyan_import_matches_total", outcome="match") == certain + 1


@pytest.mark.django_db
def test_latency_is_labelled_by_route_name_never_by_the_path(client, owner):
    client.force_login(owner)
    before = sample(
        "cyan_http_request_duration_seconds_count",
        method="GET", route="contacts:list", status="200",
    )  # fmt: skip
    client.get("/contacts/?q=ann.client@example.com")
    after = sample(
        "cyan_http_request_duration_seconds_count",
        method="GET", route="contacts:list", status="200",
    )  # fmt: skip
    assert after == before + 1
    client.get("/no/such/page/Annabel-Quiller/")
    text = scrape(client)
    assert 'route="unresolved"' in text
    assert "ann.client" not in text and "Annabel" not in text


@pytest.mark.django_db
def test_the_queue_depth_and_lag_are_read_from_the_task_table_when_scraped(client, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    DBTaskResult.objects.create(
        task_path="events.tasks.deliver_due_task",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="webhooks",
        backend_name="default",
        priority=0,
        run_after=timezone.now() - timedelta(seconds=40),
    )
    text = scrape(client)
    assert 'cyan_queue_ready_tasks{queue="webhooks"} 1.0' in text
    lag = next(
        line
        for line in text.splitlines()
        if line.startswith('cyan_queue_lag_seconds{queue="webhooks"}')
    )
    assert float(lag.split()[-1]) >= 40
    assert 'cyan_queue_ready_tasks{queue="default"} 0.0' in text


def test_cyan_up_starts_its_processes_on_an_empty_metrics_directory(tmp_path):
    from cyan.cli import fresh_metrics_dir

    stale = tmp_path / "metrics" / "counter_4242.db"
    stale.parent.mkdir()
    stale.write_bytes(b"last run")
    directory = fresh_metrics_dir({"CYAN_VAR_DIR": str(tmp_path)})
    assert directory == str(tmp_path / "metrics")
    assert list((tmp_path / "metrics").iterdir()) == []
