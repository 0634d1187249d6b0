"""One set of limits for the text a studio stores, and what text may hold at all.

Every way in — an order from a gallery provider, an API push, the REST API, a form, an
import — checks against these numbers, and the columns that keep the text are at least
this long (a schema test compares every field with its column), so nothing is accepted
on the way in that cannot be stored later ("the Inbox accepts what Import can't store").

What text may hold:
- NUL (U+0000) and lone surrogates (U+D800–U+DFFF) can be stored by neither PostgreSQL
  nor UTF-8: text holding them is refused where it arrives (`forbidden_characters`).
- Bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069) are
  removed from names and other single-line text (`without_bidi_controls`): invisible,
  they let "‮gnp.exe" show as "exe.png" and a name spoof its neighbours on a page. A
  right-to-left name needs none of them (the browser lays out Hebrew or Arabic by
  itself), so removing them loses nothing a person typed on purpose.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

# -- A person (contacts, an order's customer, an enquiry) ---------------------------------
FIRST_NAME = 100
LAST_NAME = 100
# "first last", as the Inbox keeps it for its list and search.
FULL_NAME = FIRST_NAME + 1 + LAST_NAME
COMPANY = 200
EMAIL = 254  # RFC 5321's path limit
PHONE = 40
DETAIL_LABEL = 30  # "home", "work", "mobile"…
ADDRESS_LINE = 200
CITY = 100
REGION = 100
POSTCODE = 20
COUNTRY = 2  # ISO 3166 alpha-2
TAG = 60

# -- An order or enquiry and what importing makes of it ---------------------------------
PROVIDER = 20
CURRENCY = 3  # ISO 4217
ACCOUNT_ID = 100
ORDER_ID = 100
ORDER_NUMBER = 100
GALLERY_ID = 100
GALLERY_NAME = 200
URL = 500
LINE_ID = 120  # a line's / refund's id becomes the sale row's external_ref
SKU = 100
LINE_NAME = 300
OPTION_NAME = 100
OPTION_VALUE = 500
DISCOUNT_CODE = 60
DISCOUNT_DESCRIPTION = 300
REFUND_REASON = 300
SHIPPING_METHOD = 100
RAW_STATUS = 100  # a provider's own status word, kept verbatim
SHOOT_TYPE = 40
MESSAGE = 10_000

# -- Bookkeeping written beside an item --------------------------------------------------
DELIVERY_KEY = 200
EVENT_TYPE = 60
DELIVERY_NOTE = 500
ITEM_ERROR = 5_000

_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

NUL_MESSAGE = "must not contain NUL (\\u0000) or unpaired surrogate characters"


def forbidden_characters(text: str) -> bool:
    """Whether `text` holds a character no database column can keep (NUL, a lone surrogate)."""
    return _FORBIDDEN.search(text) is not None


def without_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


def storable(text: str, limit: int) -> str:
    """`text` made fit for a column of `limit` characters: for what Cyan writes itself
    (notes, error messages, labels), never for what a person or a provider sent."""
    return _FORBIDDEN.sub("\ufffd", text)[:limit]


def _without_bidi_controls(value: object) -> object:
    return without_bidi_controls(value) if isinstance(value, str) else value


def _refuse_forbidden(text: str) -> str:
    if forbidden_characters(text):
        raise ValueError(f"Text {NUL_MESSAGE}.")
    return text


def text(max_length: int, *, min_length: int = 0) -> type[str]:
    """A pydantic str of at most `max_length` characters that refuses NUL and lone
    surrogates and drops bidi controls (before measuring): the one text type of every
    inbound schema."""
    return Annotated[  # type: ignore[return-value]
        str,
        Field(min_length=min_length or None, max_length=max_length),
        # Listed after Field, so it runs first and the length is that of what is kept.
        BeforeValidator(_without_bidi_controls),
        AfterValidator(_refuse_forbidden),
    ]
