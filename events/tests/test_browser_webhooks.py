"""Preferences → Integrations → Webhooks in Chromium, delivering to a real receiver."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from events.models import WebhookEndpoint
from testkit.browser import log_in

pytestmark = pytest.mark.browser


def test_add_an_endpoint_send_a_test_event_and_delete_it(
    page: Page, live_server, studio_and_owner, transactional_db, receiver
):
    _studio, owner = studio_and_owner
    log_in(page, live_server.url, owner.email)
    page.goto(f"{live_server.url}/preferences/integrations/api/")
    page.get_by_role("navigation", name="Integrations").get_by_role("link", name="Webhooks").click()
    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_label("A sale was created").check()
    page.get_by_label("A contact was created").check()
    page.get_by_role("button", name="Add Endpoint").click()
    expect(page.get_by_text("only time Cyan shows it")).to_be_visible()
    secret = page.locator("#new-secret-value").input_value()
    assert secret.startswith("whsec_")

    page.get_by_role("button", name="Send test event").click()
    expect(page.get_by_text("A test event is on its way")).to_be_visible()
    page.reload()
    log = page.locator("table")
    expect(log).to_contain_text("webhook.test")
    expect(log).to_contain_text("HTTP 200")
    expect(log).to_contain_text("Delivered")
    delivered = Webhook(secret).verify(receiver.requests[0].body, receiver.requests[0].headers)
    assert delivered["type"] == "webhook.test"
    expect(page.locator("#new-secret-value")).to_have_count(0)  # shown once only

    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_text("No webhook endpoints yet.")).to_be_visible()
    assert not WebhookEndpoint.objects.exists()
