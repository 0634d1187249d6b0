"""Whatever gallery URL an order carries, the order imports: an http(s) URL becomes the
sale's gallery link, anything else stays on the Inbox item (order and raw payload) and is
never made a link."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.services import create_contact
from inbox.import_window import linkable_url
from inbox.importing import import_item
from testkit.factories import receive as receive_with

ODD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example.com/gallery",
    "pictime.com/g/smith",
    "//evil.example/x",
    "http://",
    "https://exa mple.com/g",
    "",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ODD_URLS)
def test_an_order_with_an_odd_gallery_url_imports_without_the_link(studio, url):
    def with_url(payload):
        payload["gallery"]["url"] = url

    item = receive_with(studio, change=with_url)
    sale = import_item(item=item, create_contact=True)
    assert sale.gallery_url == "" and sale.gallery_name == "Smith Wedding"
    item.refresh_from_db()
    assert item.normalized["gallery"]["url"] == url


@pytest.mark.django_db
def test_an_https_gallery_url_is_the_sales_link(studio):
    def with_url(payload):
        payload["gallery"]["url"] = "https://studio.pic-time.com/-smith/gallery"

    sale = import_item(item=receive_with(studio, change=with_url), create_contact=True)
    assert sale.gallery_url == "https://studio.pic-time.com/-smith/gallery"


@given(st.text(max_size=500))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_linkable_url_keeps_only_http_urls_a_sale_can_store(url):
    kept = linkable_url(url)
    assert kept in ("", url)
    if kept:
        assert kept.lower().startswith(("http://", "https://")) and len(kept) <= 500


ORDER_NUMBERS = itertools.count(100)


# The text the order schema accepts: no NUL, no lone surrogates (core.limits refuses them).
STORABLE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=500
)


@pytest.mark.django_db
@given(url=STORABLE_TEXT.map(str.strip))
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_any_gallery_url_the_schema_accepts_imports(studio, url):
    contact = create_contact(studio=studio, first_name="Ada", last_name="Lovelace")

    def with_url(payload):
        payload["gallery"]["url"] = url

    item = receive_with(studio, n=next(ORDER_NUMBERS), change=with_url)
    sale = import_item(item=item, contact_id=contact.pk, shoot="none")
    assert sale.gallery_url in ("", url)
