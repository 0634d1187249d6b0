from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from events.services import create_endpoint
from events.targets import TargetRefused, check_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_targets_are_refused_in_production(settings, url):
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(TargetRefused, match="private, loopback or link-local"):
        check_url(url)


def test_a_public_address_is_accepted(settings):
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False
    assert check_url("https://93.184.215.14/hook") == "https://93.184.215.14/hook"


@pytest.mark.parametrize(
    "url, reason",
    [
        ("ftp://example.com/x", "must start with https://"),
        ("https:///nohost", "no host"),
        ("https://user:pw@example.com/", "no user name"),
    ],
)
def test_malformed_targets_are_refused(url, reason):
    with pytest.raises(TargetRefused, match=reason):
        check_url(url)


def test_development_allows_local_receivers(settings):
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = True
    assert check_url("http://127.0.0.1:9/hook")


def test_the_endpoint_form_error_says_why_and_saves_nothing(settings, studio):
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as caught:
        create_endpoint(studio=studio, url="http://127.0.0.1/x", events=["sale.created"])
    assert "loopback" in caught.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as caught:
        create_endpoint(studio=studio, url="https://93.184.215.14/x", events=["nope"])
    assert "Unknown event type" in caught.value.message_dict["events"][0]


def test_a_refused_target_at_send_time_is_a_failed_attempt(settings, studio, receiver):
    from events.delivery import deliver_due
    from events.models import Delivery
    from testkit.factories import make_contact

    create_endpoint(studio=studio, url=receiver.url, events=["contact.created"])
    settings.CYAN_WEBHOOKS_ALLOW_PRIVATE = False  # the address turned private since
    make_contact(studio, "Zed", "Quinn")
    deliver_due()
    delivery = Delivery.objects.get()
    assert receiver.requests == []
    assert "loopback" in delivery.last_error
    assert delivery.status == Delivery.Status.PENDING
