"""REST API v1: the NinjaAPI, its authentication, rate limit, errors and routers.

Mounted at /api/v1/ by api/urls.py; the OpenAPI document is /api/v1/openapi.json and
the interactive docs (Swagger UI, served from ninja's own static files) are /api/docs.
"""

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger

from api.auth import ApiKeyAuth, ApiKeyRateThrottle
from api.errors import error_response, install_error_handlers
from api.parser import TextCheckingParser
from api.rendering import ApiRenderer
from api.routers import contacts, hooks, inbox, invoices, me, payments, sales, shoots
from reports.api import router as reports_router

DESCRIPTION = """
Cyan's REST API: the studio's contacts, shoots and sales.

* **Authentication**: `Authorization: Bearer <API key>`. Generate a key under
  Preferences → Integrations → API & Zapier.
* **Errors** are JSON: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
  Codes: `bad_request` (malformed JSON), `unauthorized`, `not_found`,
  `method_not_allowed`, `validation_error`, `idempotency_conflict`, `duplicate_sale`,
  `payload_too_large`, `unsupported_media_type`, `rate_limited`, `internal_error`.
* **Input is strict**: bodies are JSON objects with only the documented fields and JSON
  types (`"12"` is not 12); an unknown query parameter is refused. Dates are `YYYY-MM-DD`
  from 1900-01-01 to 2200-12-31; timestamps ISO 8601 with a UTC offset (at most ±15:59)
  on such a day in every time zone; amounts 0 to 10^15 minor units.
* **Money** is integer minor units (`total_minor: 1250`) with the ISO 4217 `currency`;
  the decimal string beside it (`total: "12.50"`) is for display only.
* **Lists** are newest first, a page at a time: pass `next_cursor` back as `cursor`
  (`limit` up to 100). `next_cursor` is null on the last page.
* **Retries**: send an `Idempotency-Key` header with a POST; repeating the same request
  with the same key returns the first response (header `Idempotent-Replayed: true`)
  instead of creating a second object. The same key with a different request is refused
  with `409 idempotency_conflict` and nothing is stored. Keys are kept for 24 hours.
"""

api = NinjaAPI(
    title="Cyan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=ApiKeyAuth(),
    throttle=ApiKeyRateThrottle(),
    parser=TextCheckingParser(),
    renderer=ApiRenderer(),
    # The docs page is mounted at /api/docs (api/urls.py); Swagger's online validator
    # badge is switched off so the page makes no request outside Cyan.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    docs_url=None,
)
install_error_handlers(api)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "payload_too_large", "The request body is larger than 1 MB.")


@api.exception_handler(ObjectDoesNotExist)
def _missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # Selectors scope by studio, so another studio's object is simply not found.
    return error_response(404, "not_found", "No such object in this studio.")


api.add_router("", me.router)
api.add_router("", contacts.router)
api.add_router("", shoots.router)
api.add_router("", sales.router)
api.add_router("", inbox.router)
api.add_router("", hooks.router)
api.add_router("", invoices.router)
api.add_router("", payments.router)
api.add_router("/reports", reports_router)
