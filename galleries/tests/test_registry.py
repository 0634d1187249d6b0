"""The provider registry: every registered provider has the shape the rest of Cyan uses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.providers import Provider
from galleries import providers
from galleries.providers.base import GalleryProvider, ProviderClient, WebhookProvider

PROTOCOL_CALLABLES = ("client", "map_order", "poll", "next_poll_delay", "order_id_of")
CLIENT_CALLABLES = ("authorization_url", "exchange_code", "refresh", "revoke", "list_accounts")


def test_pictime_is_registered():
    assert "pictime" in providers.names()
    assert providers.get("pictime").label == "Pic-Time"


@pytest.mark.parametrize("provider", providers.all(), ids=lambda p: p.name)
def test_every_registered_provider_satisfies_the_protocol(provider):
    assert isinstance(provider, GalleryProvider)
    assert provider.name in Provider.values
    assert provider.label == Provider(provider.name).label
    assert isinstance(provider.has_webhooks, bool)
    assert isinstance(provider.chooses_account, bool)
    for name in PROTOCOL_CALLABLES:
        assert callable(getattr(provider, name)), name
    client = provider.client()
    assert isinstance(client, ProviderClient)
    for name in CLIENT_CALLABLES:
        assert callable(getattr(client, name)), name
    if provider.has_webhooks:
        assert isinstance(provider, WebhookProvider)
        assert callable(client.register_webhook) and callable(client.delete_webhook)
    delay = provider.next_poll_delay(busy=False, previous=None)
    assert isinstance(delay, timedelta) and delay > timedelta(0)
    assert provider.order_id_of(None) == ""


@pytest.mark.parametrize("name", ["", "zapier", "PICTIME", "pictime ", None, 3])
def test_an_unknown_name_is_refused_clearly(name):
    with pytest.raises(providers.UnknownProvider, match="Unknown gallery provider"):
        providers.get(name)


def test_the_registry_lists_each_provider_once_in_a_stable_order():
    names = providers.names()
    assert names == [p.name for p in providers.all()] and len(set(names)) == len(names)
    assert all(providers.get(name) is providers.get(name) for name in names)


def test_a_provider_package_not_in_the_tree_is_skipped(monkeypatch):
    from galleries.providers import registry

    monkeypatch.setattr(registry, "_PACKAGES", ("pictime", "no_such_provider"))
    registry._loaded.cache_clear()
    try:
        assert registry.names() == ["pictime"]
    finally:
        registry._loaded.cache_clear()


def test_unregistered_provider_urls_are_not_found(auth_client):
    assert auth_client.get("/galleries/nosuch/connect/").status_code == 404
    assert auth_client.post("/galleries/webhooks/nosuch/").status_code == 404
