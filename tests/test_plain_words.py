"""No page of the main path shows a raw value: a stored code (partially_refunded,
needs_attention), an event type (order.created), an OAuth error code (invalid_grant), an
amount in minor units (4860 for $48.60), a provider id in a sentence (pictime), or
"order(s)". The raw payload, behind its disclosure, is the one place allowed to.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from galleries.models import GalleryLink
from galleries.providers.base import oauth_error_in_words
from inbox.importing import import_item
from inbox.models import InboxItem
from testkit.factories import receive
from testkit.pages import fill_studio, main_path

pytestmark = pytest.mark.django_db

# Amounts of the orders below, in minor units: none may show as a bare number.
REFUND_MINOR = 4860
SKIPPED_TAGS = {"script", "style", "option", "textarea"}


class VisibleText(HTMLParser):
    """The text a reader sees: not scripts, not the raw payload's disclosure, not
    attribute values, not the choices of a select."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        raw = tag in SKIPPED_TAGS or "raw-payload" in classes.split()
        if raw or (self._skip and tag == self._skip[-1]):
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def stored_codes() -> set[str]:
    """Every choice value of every model whose label differs from it in more than case
    (e.g. needs_attention → Needs attention), plus the gallery order's own literals."""
    codes = {"partially_paid", "partially_refunded", "wall_art", "needs_relink"}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and "_" in value and value.lower() != str(label).lower():
                    codes.add(value)
    return codes


RAW = [
    (re.compile(r"\border\.(created|updated|refunded|cancelled)\b"), "event type"),
    (re.compile(r"\binvalid_grant\b|\binvalid_client\b|\baccess_denied\b"), "OAuth error code"),
    (re.compile(r"\((s|es)\)"), "a plural by brackets"),
    (re.compile(r"\b(pictime|shootproof)\b"), "a provider id"),
    (re.compile(rf"(?<![\d.,]){REFUND_MINOR}(?![\d.,])"), "an amount in minor units"),
]


@pytest.fixture
def day_of_orders(studio_and_owner):
    """Every state an Inbox order can be in: new, imported and later refunded, imported
    with a discount, needing attention; a gallery link that needs re-linking."""
    studio, owner = studio_and_owner
    fill_studio(studio)
    refunded = receive(studio, 7, discount=300)
    import_item(item=refunded, create_contact=True)
    receive(studio, 7, discount=300, refunds=[REFUND_MINOR], updated_at="2026-05-08T10:00:00Z")
    receive(studio, 7, discount=300, refunds=[REFUND_MINOR], updated_at="2026-05-08T10:00:00Z")
    InboxItem.objects.create(
        studio=studio,
        source="pictime",
        account_id="acc_demo",
        external_id="ord_broken",
        state=InboxItem.State.NEEDS_ATTENTION,
        raw_payload='{"id": "ord_broken"}',
        error="the order has no lines",
    )
    GalleryLink.objects.create(
        studio=studio,
        provider="pictime",
        provider_account_id="acc_demo",
        account_name="Lumen on Pic-Time",
        status=GalleryLink.Status.NEEDS_RELINK,
        # As galleries.tokens words a refused refresh.
        last_error="Pic-Time refused to renew Cyan's access "
        f"({oauth_error_in_words('invalid_grant')}). Re-link the account.",
    )
    return studio, owner


def test_no_page_of_the_main_path_shows_a_raw_value(client, day_of_orders):
    _studio, owner = day_of_orders
    client.force_login(owner)
    codes = stored_codes()
    code_pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(codes))) + r")\b")
    problems: dict[str, list[str]] = {}
    pages = list(main_path())
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = VisibleText.of(response.content.decode())
        found = [f"stored code {m}" for m in set(code_pattern.findall(text))]
        found += [f"{why}: {m.group(0)!r}" for pattern, why in RAW for m in pattern.finditer(text)]
        if found:
            problems[path] = sorted(set(found))
    assert problems == {}, "\n".join(f"{p}: {v}" for p, v in problems.items())
    assert len(pages) > 20 and "needs_attention" in codes


def test_the_walker_sees_what_it_looks_for():
    """The check can fail: each kind of raw value is caught in visible text, and the
    raw payload's disclosure is left alone."""
    html = (
        "<p>Status partially_refunded; order.created; refund 4860 added; 2 order(s);"
        " imported from pictime; invalid_grant</p>"
        '<details class="raw-payload"><pre>order.created 4860</pre></details>'
    )
    text = VisibleText.of(html)
    assert all(pattern.search(text) for pattern, _why in RAW)
    assert "partially_refunded" in text and text.count("4860") == 1
    assert isinstance(models.TextChoices, type)
