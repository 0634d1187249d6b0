"""`POST /api/lightblue`: the Light Blue-compatible endpoint for website contact forms.

Forms written for Light Blue's API keep working when a studio moves to Cyan: the same
parameters (form-encoded or JSON, UTF-8), and the same answer: HTTP 200 with the result
code as a plain-text body (`0` success; `-3` bad type or no valid parameters; `-4`
duplicate: this `ID` + `Source` pair was seen before in this studio; `-20` not HTTPS in
production). An error's code is followed by a line that says why. Cyan adds `-1` for a
missing or invalid key and `-29` past the key's rate limit. Each accepted post becomes an
enquiry in the Inbox, through the same service as `POST /api/v1/inbox/enquiries`.
See docs/lightblue-api.md.

As Light Blue does, a value that does not fit its type (a date that does not read) is not
a refusal: it is kept in the message as "Name: value", so nothing the client typed is lost.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from api.auth import ApiKeyRateThrottle
from api.services import authenticate_api_key
from core import limits, throttle
from inbox.models import InboxDelivery
from inbox.schema import Enquiry
from inbox.services import receive_enquiry

SOURCE = "lightblue"
SUCCESS, INVALID_KEY, BAD_REQUEST, DUPLICATE, NOT_HTTPS = "0", "-1", "-3", "-4", "-20"
RATE_LIMITED = "-29"  # Cyan's own, as -1: the per-key API rate limit (CYAN_API_RATE_LIMIT)
DATE_FORMATS = {
    "dd/mm/yyyy": "%d/%m/%Y",
    "d/m/yyyy": "%d/%m/%Y",
    "mm/dd/yyyy": "%m/%d/%Y",
    "m/d/yyyy": "%m/%d/%Y",
    "yyyy/mm/dd": "%Y/%m/%d",
    "yyyy/m/d": "%Y/%m/%d",
}
# Documented parameters kept as lines of the message (Light Blue's "miscellaneous values").
EXTRA_LABELS = {
    "ContactPhoneHome": "Home phone",
    "ContactPhoneWork": "Work phone",
    "ContactPhone": "Phone",
    "ContactTitle": "Title",
    "ContactNameMaiden": "Maiden name",
    "ContactRole": "Role",
    "ContactWebsite": "Website",
    "ContactSource": "How they heard of you",
    "ShootTitle": "Shoot",
    "ShootLocation": "Location",
    "ShootStartTime": "Start time",
    "ShootDescription": "Shoot description",
}
PHONES = ("ContactPhoneMobile", "ContactPhone", "ContactPhoneHome", "ContactPhoneWork")
CONTACT_FIELDS = {
    "ContactNameFirst",
    "ContactNameLast",
    "ContactNameFull",
    "ContactEmail",
    "ContactPhoneMobile",
    "Message",
    "ShootType",
    "ShootDate",
}
CONTROL = {"key", "type", "DateFormat", "Source", "SourceAPIVersion", "ID", "Reference"}
TIMESTAMP = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ]\d{2}:?\d{2}:?\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?$"
)


class Refused(Exception):
    def __init__(self, code: str, why: str) -> None:
        super().__init__(why)
        self.code, self.why = code, why


def answer(code: str, why: str = "") -> HttpResponse:
    body = code if not why else f"{code}\n{why}"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def read_params(request: HttpRequest) -> dict[str, str]:
    """The posted key-value pairs, from a form or a JSON object (values as text)."""
    if (request.content_type or "").endswith("json"):
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Refused(BAD_REQUEST, "The body is not valid JSON (UTF-8).") from exc
        if not isinstance(data, dict):
            raise Refused(BAD_REQUEST, "Send a JSON object of parameters.")
        return {str(k): "" if v is None else str(v) for k, v in data.items()}
    try:
        return {key: request.POST.get(key, "") for key in request.POST}
    except UnicodeDecodeError as exc:
        raise Refused(BAD_REQUEST, "The form is not UTF-8.") from exc


def parse_date(value: str, date_format: str) -> date | None:
    """A Date in `date_format` (dd/mm/yyyy unless DateFormat says otherwise), or a
    Timestamp (its offset ignored: the day is the one the client typed); None if neither."""
    value = value.strip()
    pattern = DATE_FORMATS.get(date_format.strip().lower() or "dd/mm/yyyy")
    if pattern is None:
        raise Refused(BAD_REQUEST, f"DateFormat {date_format!r} is not one Light Blue supports.")
    try:
        return datetime.strptime(value, pattern).date()
    except ValueError:
        pass
    found = TIMESTAMP.match(value)
    if found:
        try:
            return date(*(int(part) for part in found.groups()))
        except ValueError:
            return None
    return None


def _names(params: dict[str, str]) -> tuple[str, str]:
    first, last = params.get("ContactNameFirst", ""), params.get("ContactNameLast", "")
    full = params.get("ContactNameFull", "").strip()
    if full and not (first or last):
        first, _, last = full.partition(" ")  # the first word, then the rest (Light Blue's)
    return first.strip(), last.strip()


def _external_id(params: dict[str, str]) -> str:
    """`Source:ID`, the pair that makes a repeat a duplicate; "" without an ID."""
    ident = (params.get("ID") or params.get("Reference") or "").strip()
    if not ident:
        return ""
    pair = f"{params.get('Source', '').strip()}:{ident}"
    if len(pair) <= limits.ORDER_ID:
        return pair
    return "sha256:" + hashlib.sha256(pair.encode()).hexdigest()


def to_enquiry(params: dict[str, str]) -> Enquiry:
    if params.get("type", "").strip().lower() != "contact form":
        raise Refused(BAD_REQUEST, "type must be 'contact form'.")
    if not any(params.get(name, "").strip() for name in CONTACT_FIELDS | set(EXTRA_LABELS)):
        raise Refused(BAD_REQUEST, "No parameter Light Blue's contact form supports was sent.")
    extras = [f"{label}: {params[name].strip()}" for name, label in EXTRA_LABELS.items()
              if params.get(name, "").strip()]  # fmt: skip
    event_date = None
    if params.get("ShootDate", "").strip():
        event_date = parse_date(params["ShootDate"], params.get("DateFormat", ""))
        if event_date is None:
            extras.append(f"Shoot date: {params['ShootDate'].strip()}")
    message = "\n\n".join(
        part for part in (params.get("Message", "").strip(), "\n".join(extras)) if part
    )
    first, last = _names(params)
    given = (params.get(name, "").strip() for name in PHONES)
    phone = next((number for number in given if number), "")
    try:
        return Enquiry(
            source=SOURCE,
            external_id=_external_id(params),
            first_name=first,
            last_name=last,
            email=params.get("ContactEmail", "").strip(),
            phone=phone,
            message=message,
            shoot_type=params.get("ShootType", "").strip(),
            event_date=event_date,
        )
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'enquiry'}: {e['msg']}" for e in exc.errors()
        )
        raise Refused(BAD_REQUEST, reasons) from exc


def _studio_for(request: HttpRequest, key: str):  # type: ignore[no-untyped-def]
    address = throttle.address_counter("api-key", request)
    if address.locked():
        raise Refused(INVALID_KEY, "Too many invalid keys from this address; try later.")
    api_key = authenticate_api_key(key.strip()) if key.strip() else None
    if api_key is None:
        address.hit()
        raise Refused(INVALID_KEY, "The key is missing or not a valid Cyan API key.")
    rate = ApiKeyRateThrottle()
    request.auth = api_key  # the limit is per key, shared with the REST API
    if not rate.allow_request(request):
        wait = int(rate.wait() or 1)
        raise Refused(RATE_LIMITED, f"Too many requests with this key; wait {wait} s.")
    return api_key.studio


def _receive(request: HttpRequest) -> HttpResponse:
    if getattr(settings, "CYAN_LIGHTBLUE_REQUIRE_HTTPS", False) and not request.is_secure():
        raise Refused(NOT_HTTPS, "Use https:// to post to this API.")
    params = read_params(request)
    studio = _studio_for(request, params.get("key", ""))
    enquiry = to_enquiry(params)
    # Without an ID every post is its own enquiry (as Light Blue: it only checks IDs).
    key = f"lightblue:{enquiry.external_id}" if enquiry.external_id else uuid.uuid4().hex
    public = {k: v for k, v in params.items() if k != "key"}  # the key is a secret
    receipt = receive_enquiry(
        studio=studio,
        enquiry=enquiry,
        raw_payload=json.dumps(public, ensure_ascii=False),
        channel=InboxDelivery.Channel.API,
        delivery_key=key[: limits.DELIVERY_KEY],
    )
    if not receipt.created:
        raise Refused(DUPLICATE, "This ID and Source were already received.")
    return answer(SUCCESS)


@csrf_exempt
@require_POST
def lightblue(request: HttpRequest) -> HttpResponse:
    try:
        return _receive(request)
    except Refused as refused:
        return answer(refused.code, refused.why)
