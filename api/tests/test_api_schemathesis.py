"""Property-based: schemathesis generates requests from /api/v1/openapi.json and calls the
real WSGI application with a valid key. No generated request may cause a server error,
and every response must match what the document promises."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from api.services import generate_api_key
from contacts.services import create_contact
from cyan.wsgi import application
from sales.services import LineInput, create_sale
from shoots.services import create_shoot

pytestmark = pytest.mark.django_db


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
    """A key of a studio that has a contact, a shoot and a sale to find."""
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
    return generate_api_key(studio=studio)[1]


# Loading the document makes a request but touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(method="GET")


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_get_endpoints_never_fail_on_generated_input(case, seeded_key, monkeypatch):
    from api.v1 import api as ninja_api

    # Generated traffic is far above a real client's; the limit has its own test.
    monkeypatch.setattr(ninja_api.throttle, "num_requests", 10**9)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded_key}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
