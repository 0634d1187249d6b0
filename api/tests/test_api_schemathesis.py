"""Property-based: schemathesis generates requests from /api/v1/openapi.json for every
operation (reads and writes, valid and invalid data) and calls the real WSGI application
with a valid key. No generated request may cause a server error; every response must
match the document (its body schema and a documented status code); and a request that
breaks the document must be refused with a 4xx.

The run is derandomized (the same requests every time) and bounded: MAX_EXAMPLES per
operation and generation phase, a couple of minutes for the whole API on SQLite or
PostgreSQL. The values it found when it first ran over the whole API are pinned in
test_api_ranges.py (timestamps of year 1 and 9999, offsets beyond ±15:59, 10^19 minor
units, `date_to=0`, a `[null, null]` body, POST to an unknown path)."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import generate_api_key
from api.tests.test_api_inbox import normalized
from contacts.services import create_contact
from cyan.wsgi import application
from galleries.schema import GalleryOrder
from inbox.intake import take_in_normalized
from inbox.models import InboxDelivery
from sales.services import LineInput, create_sale
from shoots.services import create_shoot

pytestmark = pytest.mark.django_db
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calling the WSGI application fires request_started/finished, whose handler closes a
    connection that is inside a transaction, i.e. the test's (on PostgreSQL): Django's
    test client disconnects it around requests, and so does this."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded_key(studio, wsgi_keeps_the_test_connection):
    """A key of a studio that has a contact, a shoot, a sale and an Inbox order to find."""
    contact = create_contact(studio=studio, first_name="Ann", emails=["ann@example.com"])
    create_shoot(
        studio=studio,
        title="Lee wedding",
        shoot_type="wedding",
        starts_at=dt.datetime(2026, 6, 20, 14, tzinfo=dt.UTC),
        contacts=[(contact, "client")],
    )
    create_sale(
        studio=studio,
        contact=contact,
        sale_date=dt.date(2026, 6, 21),
        currency="GBP",
        lines=[LineInput("Album", "album", 1, 30000)],
    )
    take_in_normalized(
        studio=studio,
        order=GalleryOrder.model_validate(normalized()),
        raw_payload="{}",
        channel=InboxDelivery.Channel.API,
        delivery_key="seed",
        event_type="api.push",
    )
    return generate_api_key(studio=studio)[1]


# Loading the document makes a request but touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_documented_promises(case, seeded_key, monkeypatch):
    from api.v1 import api as ninja_api

    # Generated traffic is far above a real client's; the limit has its own test.
    monkeypatch.setattr(ninja_api.throttle, "num_requests", 10**9)
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded_key}"}, checks=CHECKS)
