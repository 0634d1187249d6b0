"""Cursor pagination: newest first, an opaque cursor pointing after the last item seen.

Keyset pagination over the primary key (ids grow with creation) instead of page numbers:
rows created while a client pages through cannot make it see an item twice or skip one.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.db.models import QuerySet
from ninja import Field

from api.errors import ApiError
from core.numbers import id_in_range
from core.params import QueryParams

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageParams(QueryParams):
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"id": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        last_id = data["id"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(last_id, int) or isinstance(last_id, bool) or not id_in_range(last_id):
        raise _bad_cursor()
    return last_id


def _bad_cursor() -> ApiError:
    return ApiError(
        422,
        "validation_error",
        "The cursor is not valid; use next_cursor from a previous page.",
        {"cursor": "Invalid cursor."},
    )


def paginate(queryset: QuerySet, params: PageParams) -> tuple[list[Any], str | None]:
    """One page of `queryset` (newest first) and the cursor of the next page, if any."""
    queryset = queryset.order_by("-pk")
    if params.cursor:
        queryset = queryset.filter(pk__lt=decode_cursor(params.cursor))
    # One row more than asked tells whether another page exists without a COUNT.
    items = list(queryset[: params.limit + 1])
    if len(items) <= params.limit:
        return items, None
    items = items[: params.limit]
    return items, encode_cursor(items[-1].pk)
