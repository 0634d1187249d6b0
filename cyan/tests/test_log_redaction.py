"""Logs carry no OAuth codes and no customer data from database errors, but keep what
one needs to debug (paths, tables, columns, constraints)."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from contacts.models import Contact
from cyan.log_redaction import RedactingFilter, redact

# Messages as PostgreSQL 16 and psycopg 3 write them.
POSTGRES_ERRORS = [
    (
        'duplicate key value violates unique constraint "contacts_email_key"\n'
        "DETAIL:  Key (studio_id, email)=(7, ann.lee@example.com) already exists.",
        ["ann.lee@example.com"],
        ["contacts_email_key", "Key (studio_id, email)=(…) already exists"],
    ),
    (
        'null value in column "currency" of relation "sales_sale" violates not-null constraint\n'
        "DETAIL:  Failing row contains (12, Ann Lee, 4 Elm Road, null, 2026-05-01).",
        ["Ann Lee", "4 Elm Road"],
        ['column "currency" of relation "sales_sale"'],
    ),
    (
        'invalid input syntax for type integer: "Ann Lee 07700 900123"\n'
        'LINE 1: ..."contacts_contact" WHERE "id" = \'Ann Lee 07700 900123\' LIMIT 21\n'
        "                                              ^",
        ["Ann Lee", "07700 900123"],
        ["invalid input syntax for type integer", "LINE 1: [SQL redacted]"],
    ),
    (
        "value too long for type character varying(100)\n"
        "CONTEXT:  unnamed portal parameter $2 = 'Maximilian Alexander-Bartholomew'",
        ["Maximilian"],
        ["character varying(100)", "parameter $2 = '…'"],
    ),
    (
        "(0.002) SELECT * FROM contacts_contact WHERE email = %s; args=('ann@example.com',)",
        ["ann@example.com"],
        ["SELECT * FROM contacts_contact"],
    ),
]


@pytest.mark.parametrize(("text", "gone", "kept"), POSTGRES_ERRORS)
def test_database_errors_lose_the_data_and_keep_the_names(text, gone, kept):
    cleaned = redact(text)
    assert not [value for value in gone if value in cleaned]
    assert [value for value in kept if value in cleaned] == kept


@pytest.mark.parametrize(
    "line",
    [
        '127.0.0.1 - - "GET /galleries/pictime/callback/?code=SECRET123&state=abc HTTP/1.1" 302',
        '"GET /x?state=abc&code=SECRET123 HTTP/1.1" 200 "http://h/?access_token=SECRET123"',
        "GET /reset?password=SECRET123&token=SECRET123",
    ],
)
def test_url_secrets_are_redacted(line):
    cleaned = redact(line)
    assert "SECRET123" not in cleaned and "[redacted]" in cleaned
    assert "state=[redacted]" in cleaned or "password=[redacted]" in cleaned  # names kept


def test_every_handler_redacts():
    handlers = settings.LOGGING["handlers"]
    assert all("redact" in handler.get("filters", []) for handler in handlers.values())


def log_through_the_filter(message: str, *args: object, exc_info: bool = False) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("cyan.tests.redaction")
    logger.addHandler(handler)
    try:
        logger.error(message, *args, exc_info=exc_info)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.django_db
def test_a_real_database_error_logged_with_its_traceback_carries_no_customer_data(studio):
    secret_name = "Zelda Quux-Customer"
    try:
        with transaction.atomic():
            # A NOT NULL violation: PostgreSQL quotes the whole failing row.
            Contact.objects.create(studio=studio, first_name=secret_name, last_name=None)
    except IntegrityError:
        output = log_through_the_filter("Internal Server Error: %s", "/contacts/", exc_info=True)
    assert "IntegrityError" in output and "/contacts/" in output
    assert secret_name not in output
    if connection.vendor == "postgresql":
        assert "Failing row contains (…)" in output


def test_gunicorn_access_atoms_are_redacted_in_place():
    class Atoms(dict):  # gunicorn's SafeAtoms answers missing keys; it must stay itself
        def __missing__(self, key):
            return "-"

    atoms = Atoms(r="GET /cb/?code=SECRET123 HTTP/1.1", s="302")
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(r)s %(s)s", (), None)
    record.args = atoms
    RedactingFilter().filter(record)
    assert record.args is atoms and record.getMessage() == "GET /cb/?code=[redacted] HTTP/1.1 302"


@pytest.mark.parametrize(
    ("line", "secret", "kept"),
    [
        ('"GET /contacts/?q=Annabel+Quiller HTTP/1.1" 200', "Annabel", "q=[redacted]"),
        ("Authorization: Bearer cyan_ab12cd34_s3cr3tpart", "s3cr3tpart", "Bearer [redacted]"),
        ("key cyan_ab12cd34_s3cr3tpart in a message", "s3cr3tpart", "cyan_ab12cd34_"),
        ("signing secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8G", "whsec_[redacted]"),
        ("sent to ann.client+x@example.co.uk today", "ann.client", "sent to [email] today"),
        ("GET /x/ann%40example.com/", "ann", "/x/[email]/"),
    ],
)
def test_secrets_and_customer_details_anywhere_in_a_line(line, secret, kept):
    cleaned = redact(line)
    assert secret not in cleaned
    assert kept in cleaned
