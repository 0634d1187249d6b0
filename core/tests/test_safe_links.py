"""Only http(s) URLs from outside become links: a pushed `javascript:` gallery URL is shown
as text on every page that shows it, never as an `<a href>` that runs when clicked."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.services import generate_api_key
from contacts.services import create_contact
from core.templatetags.safe_links import http_url
from galleries.providers.pictime.orders import map_order
from inbox.models import InboxItem
from sales.models import Sale
from sales.services import LineInput, create_sale
from shoots.models import Shoot
from shoots.services import create_shoot
from testkit.payloads import order_json

HOSTILE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://files.example/x",
    "//evil.example/x",
    "http:alert(1)",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_non_http_urls_are_not_links(url):
    assert http_url(url) == ""


@pytest.mark.parametrize(
    "url", ["https://gallery.example/g/1", "http://127.0.0.1:8001/g/abc?x=1", "HTTPS://A.EXAMPLE"]
)
def test_http_urls_are_kept(url):
    assert http_url(url) == url


@given(st.text())
def test_anything_kept_starts_with_http(text):
    kept = http_url(text)
    assert kept == "" or (kept == text and kept.lower().startswith(("http://", "https://")))


def pushed_order(gallery_url: str) -> dict:
    order = map_order(order_json()).model_dump(mode="json")
    order["provider"] = "theimagefile"
    order["gallery"] = {**(order.get("gallery") or {}), "id": "g1", "url": gallery_url}
    return order


@pytest.mark.django_db
def test_pages_show_a_javascript_gallery_url_as_text(client, auth_client, studio):
    bad = "javascript:alert(document.domain)"
    key = generate_api_key(studio=studio, name="t")[1]
    pushed = client.post(
        "/api/v1/inbox/orders",
        pushed_order(bad),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    # The Inbox may keep what a provider sent, or refuse it at the edge: never a link.
    assert pushed.status_code in (201, 422), pushed.content
    ann = create_contact(studio=studio, first_name="Ann", last_name="Lee")
    sale = create_sale(
        studio=studio,
        contact=ann,
        sale_date=dt.date(2026, 5, 1),
        currency="GBP",
        lines=[LineInput("Album", "album", 1, 30000)],
    )
    shoot = create_shoot(
        studio=studio,
        title="Lee wedding",
        shoot_type="wedding",
        starts_at=dt.datetime(2026, 6, 20, 15, tzinfo=dt.UTC),
    )
    # Whatever path stored them (an import, an older version), the pages must not link them.
    Sale.objects.filter(pk=sale.pk).update(gallery_url=bad)
    Shoot.objects.filter(pk=shoot.pk).update(gallery_url=bad)
    pages = [f"/sales/{sale.pk}/", f"/shoots/{shoot.pk}/"]
    pages += [f"/inbox/{item.pk}/" for item in InboxItem.objects.all()]
    for path in pages:
        html = auth_client.get(path).content.decode()
        assert "javascript:" in html, path  # shown, as text
        assert 'href="javascript:' not in html.replace("&#x27;", "'"), path
