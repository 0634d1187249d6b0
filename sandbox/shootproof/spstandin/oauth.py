"""The OAuth 2.0 server on django-oauth-toolkit, at ShootProof's paths: an Approve page
that is never skipped, PKCE optional (checked when sent), refresh tokens rotated."""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views import TokenView as DotTokenView

# One process serves the stand-in (server.py); refreshes go through it one at a time.
_refresh_lock = threading.Lock()


class StandinOAuth2Validator(OAuth2Validator):
    """DOT's validator; kept as a seam like the Pic-Time stand-in's."""


class ApproveView(AuthorizationView):
    template_name = "spstandin/approve.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        account = getattr(self.request.user, "shootproof_account", None)
        context["account"] = account
        context["brands"] = list(account.brands.order_by("id")) if account else []
        return context


class TokenView(DotTokenView):
    """DOT's token endpoint, with refreshes serialised: django-oauth-toolkit checks a
    refresh token before the transaction that rotates it, so two requests racing with the
    same refresh token could both win (SQLite has no row locks). ShootProof's rule here
    is strict: one refresh token, one new pair; the loser gets ``invalid_grant``."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("grant_type") != "refresh_token":
            return super().post(request, *args, **kwargs)
        with _refresh_lock:
            return super().post(request, *args, **kwargs)


def connected_applications(user_id: int) -> list[Application]:
    """The OAuth clients the user has a live grant with (shown on the dashboard)."""
    now = timezone.now()
    ids = set(
        AccessToken.objects.filter(user_id=user_id, expires__gt=now).values_list(
            "application_id", flat=True
        )
    )
    ids |= set(
        RefreshToken.objects.filter(user_id=user_id, revoked__isnull=True).values_list(
            "application_id", flat=True
        )
    )
    return list(Application.objects.filter(pk__in=ids).order_by("name"))


@transaction.atomic
def disconnect(*, user_id: int, application: Application) -> None:
    """Revoke every token the user granted the client."""
    for refresh in RefreshToken.objects.filter(
        user_id=user_id, application=application, revoked__isnull=True
    ):
        refresh.revoke()
    AccessToken.objects.filter(user_id=user_id, application=application).delete()
