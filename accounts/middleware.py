from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class StudioMiddleware:
    """Puts the logged-in user's studio on the request; every view scopes by it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        request.studio = user.studio if user is not None and user.is_authenticated else None
        return self.get_response(request)
