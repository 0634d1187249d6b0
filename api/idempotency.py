"""`Idempotency-Key` on POST: a retried write returns the first response, not a duplicate.

The one mechanism behind every POST that honours the header (contacts, shoots, sales,
Inbox order and enquiry pushes, import), with Stripe's semantics: key + request
fingerprint. Same key and same request → the stored status and body again, with
`Idempotent-Replayed: true`. Same key, different request → 409 idempotency_conflict and
nothing is stored. Only successful responses are stored: a request refused for bad input
can be corrected and sent again under the same key. Keys are scoped per studio and
remembered for IDEMPOTENCY_TTL (24 hours); after that the key starts afresh.
See docs/idempotency.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Status

from api.errors import ApiError, error_response
from api.models import IdempotencyRecord
from api.selectors import find_idempotency_record, is_expired
from api.services import IDEMPOTENCY_TTL, forget_idempotency_record, store_idempotent_response

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = IdempotencyRecord._meta.get_field("key").max_length


# The header as the OpenAPI document shows it (`openapi_extra` of each keyed POST).
OPENAPI_HEADER = {
    "parameters": [
        {
            "name": HEADER,
            "in": "header",
            "required": False,
            "description": (
                "Makes a retry safe: the same key with the same request replays the first "
                "response; with a different request it is refused (409 "
                "idempotency_conflict) and nothing is stored. Remembered for 24 hours."
            ),
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
        }
    ]
}


def _canonical_body(request: HttpRequest) -> str:
    # JSON is canonicalised so that whitespace and key order are not a different request.
    try:
        return json.dumps(json.loads(request.body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return request.body.decode("utf-8", "replace")


def body_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the canonical body: the same content, however formatted, is one value."""
    return hashlib.sha256(_canonical_body(request).encode()).hexdigest()


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of method, path and canonical body."""
    text = f"{request.method}\n{request.path}\n{_canonical_body(request)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            422,
            "validation_error",
            f"The {HEADER} header must have 1 to {MAX_KEY_LENGTH} characters.",
            {HEADER: "Invalid idempotency key."},
        )
    return key


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_hash != fingerprint:
        return error_response(
            409,
            "idempotency_conflict",
            f"This {HEADER} was already used for a different request.",
        )
    response = JsonResponse(record.response_body, status=record.status_code, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


def run_idempotently(
    request: HttpRequest, create: Callable[[], tuple[int, Any]]
) -> Status | HttpResponse:
    """Run `create` (returning status and a JSON-ready body) at most once per key."""
    key = _idempotency_key(request)
    if key is None:
        return Status(*create())
    studio = request.auth.studio
    fingerprint = request_fingerprint(request)
    record = find_idempotency_record(studio=studio, key=key)
    if record is not None and not is_expired(record, ttl=IDEMPOTENCY_TTL):
        return _replay(record, fingerprint)
    try:
        # The object and its record commit together, or neither does.
        with transaction.atomic():
            if record is not None:
                forget_idempotency_record(record=record)
            status, body = create()
            store_idempotent_response(
                studio=studio,
                key=key,
                method=request.method or "POST",
                path=request.path,
                request_hash=fingerprint,
                status_code=status,
                body=body,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first: answer as it did.
        record = find_idempotency_record(studio=studio, key=key)
        if record is None:
            raise
        return _replay(record, fingerprint)
    return Status(status, body)
