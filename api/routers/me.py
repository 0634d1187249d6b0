from django.http import HttpRequest
from ninja import Router, Schema

from api.schemas import error_responses

router = Router(tags=["studio"])


class StudioOut(Schema):
    id: int
    name: str
    default_currency: str
    country: str
    time_zone: str


@router.get(
    "/me",
    response={200: StudioOut, **error_responses()},
    summary="The studio this API key belongs to",
)
def me(request: HttpRequest) -> object:
    return request.auth.studio
