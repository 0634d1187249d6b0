"""Once per form: a form that records money (a payment, a refund, a new sale) carries a
one-time token, and the same token posted again — a double click, a resend after a slow
answer, the browser's back button and Submit — is not recorded a second time.

The token is claimed in the shared cache (`cache.add`, atomic on the database table and on
Redis) before the write, given the write's result when it is done, and released when the
write is refused or fails, so a corrected form can be sent again. A post without a token
(an old page, a script) is taken as it is: the guard only ever stops a repeat."""

from __future__ import annotations

import re
import uuid

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

FIELD = "submission"
TTL_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[0-9a-f]{32}")
RUNNING = "running"


def token_field() -> SafeString:
    """The hidden input of a new token, for a form's template (`{% submission_field %}`)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)


def _key(request: HttpRequest) -> str | None:
    token = request.POST.get(FIELD, "")
    if not _TOKEN.fullmatch(token):
        return None
    studio = getattr(request, "studio", None)
    return f"submission:{getattr(studio, 'pk', '-')}:{token}"


def seen_before(request: HttpRequest) -> str | None:
    """None when this post is the first with its token (claimed now); else what the first
    left: its result (e.g. the new sale's id), or RUNNING while it is still being written."""
    key = _key(request)
    if key is None or cache.add(key, RUNNING, TTL_SECONDS):
        return None
    return str(cache.get(key) or RUNNING)


def done(request: HttpRequest, result: object = "done") -> None:
    key = _key(request)
    if key is not None:
        cache.set(key, str(result), TTL_SECONDS)


def release(request: HttpRequest) -> None:
    """The write was refused or failed: the same form may be sent again."""
    key = _key(request)
    if key is not None:
        cache.delete(key)


TWICE = "This form was sent twice: it was recorded once."
