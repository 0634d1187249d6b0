"""Emails to the studio, through a real local SMTP server (aiosmtpd): one per new order
even when the webhook repeats, one when an imported order is refunded at the gallery,
one a day listing new orders; nothing when the studio said no."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbox.importing import import_item
from inbox.notices import notices_round, queue_daily_digests
from notifications import services
from notifications.models import Notice, NotificationSettings
from testkit.factories import receive

pytestmark = pytest.mark.django_db(transaction=True)


def text_of(message) -> str:
    return message.get_payload(decode=True).decode()


def choose(studio, **fields) -> None:
    services.update_settings(studio=studio, **fields)


def test_each_new_order_is_one_email_even_when_the_webhook_repeats(studio, owner, smtp_server):
    choose(studio, new_orders=NotificationSettings.NewOrders.EACH)
    receive(studio, 1)
    receive(studio, 1)  # the same delivery again
    receive(studio, 1, updated_at="2026-05-03T10:00:00Z")  # a later version: not new
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == owner.email
    assert message["Subject"] == "New Pic-Time order PT-0001: $72.60"
    body = text_of(message)
    assert "Ada Lovelace ordered $72.60 from Pic-Time" in body and "/inbox/" in body


def test_a_refund_after_import_is_one_email(studio, smtp_server, ada):
    choose(studio, new_orders=NotificationSettings.NewOrders.OFF)
    item = receive(studio, 1)
    import_item(item=item)
    later = "2026-05-08T10:00:00Z"
    receive(studio, 1, refunds=[4860], updated_at=later)
    receive(studio, 1, refunds=[4860], updated_at=later)  # the same version again
    assert [m["Subject"] for m in smtp_server.messages] == [
        "Refunded $48.60: Pic-Time order PT-0001"
    ]
    assert "was imported as a sale, and at the gallery: refunded $48.60" in (
        text_of(smtp_server.messages[0])
    )


def test_nothing_is_sent_when_the_studio_said_no(studio, smtp_server, ada):
    choose(studio, new_orders=NotificationSettings.NewOrders.OFF, changes_after_import=False)
    item = receive(studio, 1)
    import_item(item=item)
    receive(studio, 1, refunds=[500], updated_at="2026-05-08T10:00:00Z")
    notices_round.call(False)
    assert smtp_server.messages == [] and not Notice.objects.exists()


def test_the_daily_email_lists_the_days_orders_once(studio, smtp_server):
    choose(studio, new_orders=NotificationSettings.NewOrders.DAILY, digest_hour=8)
    receive(studio, 1)
    receive(studio, 2, first_name="Grace", last_name="Hopper", email="grace@example.org")
    assert smtp_server.messages == []  # not one each
    zone_morning = dt.datetime.now(dt.UTC).replace(hour=23, minute=0)  # London: after 08:00
    assert queue_daily_digests(now=zone_morning) == 1
    assert queue_daily_digests(now=zone_morning + dt.timedelta(minutes=5)) == 0  # done today
    notices_round.call(False)
    (message,) = smtp_server.messages
    assert message["Subject"] == "2 new gallery orders"
    assert "PT-0001: Ada Lovelace, $72.60" in text_of(message)
    assert "PT-0002: Grace Hopper" in text_of(message)


def test_a_failed_send_is_kept_and_sent_by_the_next_round(studio, settings, smtp_server):
    choose(studio, new_orders=NotificationSettings.NewOrders.EACH)
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    receive(studio, 1)
    notice = Notice.objects.get()
    assert notice.sent_at is None and notice.attempts == 1 and notice.last_error
    settings.MAILERS = working
    assert notices_round.call(False) == 1
    assert len(smtp_server.messages) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notices_round.call(False) == 0 and len(smtp_server.messages) == 1


def test_the_preferences_page_saves_the_choice(auth_client, studio):
    url = reverse("notifications:preferences")
    page = auth_client.get(url).content.decode()
    assert "When gallery orders arrive" in page and "One email a day" in page
    response = auth_client.post(
        url,
        {"new_orders": "each", "changes_after_import": "on", "email": "me@example.org",
         "digest_hour": "7"},
    )  # fmt: skip
    assert response.status_code == 302
    prefs = NotificationSettings.objects.get(studio=studio)
    assert (prefs.new_orders, prefs.email, prefs.digest_hour) == ("each", "me@example.org", 7)
    bad = auth_client.post(url, {"new_orders": "each", "email": "x", "digest_hour": "31"})
    assert bad.status_code == 200 and "0 to 23" in bad.content.decode()
