"""The OAuth 2.0 server on top of django-oauth-toolkit: S256-only PKCE, an Approve page
that is never skipped, and revocation that also removes the client's webhooks."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import AccessToken, Application, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import AuthorizationView
from oauthlib.oauth2.rfc6749 import errors

from . import webhooks

log = logging.getLogger(__name__)


class StandinOAuth2Validator(OAuth2Validator):
    def revoke_token(
        self, token: str, token_type_hint: str | None, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        """RFC 7009 revocation; when the user has no live grant left for the client
        (the account was unlinked), the client's webhook subscriptions go too."""
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        application = getattr(request, "client", None)
        owners: set[int] = set()
        if application is not None and getattr(application, "pk", None):
            for model in (AccessToken, RefreshToken):
                owners.update(
                    model.objects.filter(
                        token_checksum=checksum, application=application
                    ).values_list("user_id", flat=True)
                )
        super().revoke_token(token, token_type_hint, request, *args, **kwargs)
        for user_id in owners:
            if user_id is not None:
                removed = webhooks.remove_if_unlinked(user_id=user_id, application=application)
                if removed:
                    log.info("removed %s webhook subscription(s) after revocation", removed)


class ApproveView(AuthorizationView):
    """DOT's authorization view with our template, and S256 as the only PKCE method."""

    template_name = "standin/approve.html"

    def validate_authorization_request(self, request: HttpRequest) -> tuple[list[str], dict]:
        scopes, credentials = super().validate_authorization_request(request)
        if credentials.get("code_challenge_method") != "S256":
            error = errors.InvalidRequestError(
                description="PKCE is required with code_challenge_method=S256.",
                state=credentials.get("state"),
            )
            raise OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"])
        return scopes, credentials

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["account"] = getattr(self.request.user, "pictime_account", None)
        return context


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


def disconnect(*, user_id: int, application: Application) -> int:
    """Revoke every token the user granted the client; its webhooks are removed."""
    with transaction.atomic():
        for refresh in RefreshToken.objects.filter(
            user_id=user_id, application=application, revoked__isnull=True
        ):
            refresh.revoke()
        AccessToken.objects.filter(user_id=user_id, application=application).delete()
    return webhooks.remove_if_unlinked(user_id=user_id, application=application)
