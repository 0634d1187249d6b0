"""/api/v1/hooks: Zapier REST hooks (subscribe, unsubscribe, samples for performList).

Deliveries to a subscription are the outbox's (events/): Standard Webhooks headers, the
`{type, timestamp, data}` envelope signed with the subscription's secret, retries over
about three days; a `410 Gone` from the target deletes the subscription."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from api.idempotency import OPENAPI_HEADER, run_idempotently
from api.schemas import Input, as_json, error_responses
from core.numbers import Id
from core.params import QueryParams
from events.hooks import rest_hooks, samples, subscribe, unsubscribe
from events.models import EVENT_NAMES

router = Router(tags=["hooks"])
EventName = Literal[EVENT_NAMES]  # type: ignore[valid-type]


class HookIn(Input):
    target_url: str = Field(..., max_length=2000, description="Where to POST each event.")
    event: EventName = Field(..., description="e.g. sale.created")


class HookOut(Schema):
    id: int
    target_url: str
    event: str
    status: str
    created_at: datetime


class HookCreatedOut(HookOut):
    secret: str = Field(..., description="`whsec_…`: verifies deliveries; shown only now.")


class HookList(Schema):
    data: list[HookOut]


class SampleParams(QueryParams):
    event: EventName = Field(..., description="The event whose recent objects to list.")
    limit: int = Field(10, ge=1, le=25)


class SampleList(Schema):
    data: list[dict[str, Any]]


def _hook_body(hook: Any) -> dict[str, Any]:
    return {
        "id": hook.pk,
        "target_url": hook.url,
        "event": hook.events[0],
        "status": hook.status,
        "created_at": hook.created_at,
    }


@router.post(
    "/hooks",
    summary="Subscribe a REST hook",
    response={201: HookCreatedOut, **error_responses(409, body=True)},
    openapi_extra=OPENAPI_HEADER,
)
def create_hook(request: HttpRequest, payload: HookIn) -> Any:
    """Zapier's performSubscribe: `target_url` receives every `event` from now on, signed
    with the returned `secret`. Private and loopback targets are refused in production."""

    def run() -> tuple[int, dict[str, Any]]:
        hook, secret = subscribe(
            studio=request.auth.studio, target_url=payload.target_url, event=payload.event
        )
        return 201, as_json(HookCreatedOut, {**_hook_body(hook), "secret": secret})

    return run_idempotently(request, run)


@router.get("/hooks", summary="List REST hooks", response={200: HookList, **error_responses()})
def list_hooks(request: HttpRequest) -> Any:
    return {"data": [_hook_body(hook) for hook in rest_hooks(studio=request.auth.studio)]}


@router.delete(
    "/hooks/{int:hook_id}",
    summary="Unsubscribe a REST hook",
    response={204: None, **error_responses()},
)
def delete_hook(request: HttpRequest, hook_id: Id) -> Any:
    """Zapier's performUnsubscribe. Unknown ids (or another studio's) answer 404."""
    unsubscribe(hook=rest_hooks(studio=request.auth.studio).get(pk=hook_id))
    return Status(204, None)


@router.get(
    "/hooks/samples",
    summary="Recent objects of an event (performList)",
    response={200: SampleList, **error_responses()},
)
def hook_samples(request: HttpRequest, params: Query[SampleParams]) -> Any:
    """The studio's most recent objects as `event` carries them in `data`, newest first:
    what Zapier shows while a Zap is set up (sales that have refunds, for sale.refunded)."""
    return {"data": samples(studio=request.auth.studio, event=params.event, limit=params.limit)}
