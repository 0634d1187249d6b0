"""Shortcuts for galleries' tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from django.urls import reverse

from galleries import services
from galleries.crypto import decrypt_secret
from galleries.models import GalleryLink
from testkit.fakes import DEMO_ACCOUNT, FakePicTime
from testkit.standin.server import StandIn
from testkit.standin.user import StandInUser


def state_of(authorize_url: str) -> str:
    return parse_qs(urlsplit(authorize_url).query)["state"][0]


def link_via_fake(
    studio, user, fake: FakePicTime, account_id: str = DEMO_ACCOUNT.id
) -> GalleryLink:
    """Start and complete an authorisation that `fake` approves for `account_id`."""
    state = state_of(services.start_authorisation(studio=studio, user=user))
    return services.complete_authorisation(
        studio=studio, user=user, state=state, code=fake.approve(account_id)
    )


def validation_code(exc_info, field: str) -> str:
    """The code of the first error on `field` of a raised ValidationError."""
    return exc_info.value.error_dict[field][0].code


# -- against the real stand-in ---------------------------------------------------------


def authorise(client, standin: StandIn, decision: str = "Approve", user=None) -> str:
    """Cyan's authorise button, then the photographer at the stand-in; returns the URL
    Pic-Time redirects back to."""
    response = client.post(reverse("galleries:authorise", args=["pictime"]))
    assert response.status_code == 302, response.content
    user = user or StandInUser(standin.url)
    return user.authorise(response["Location"], decision)


def follow_back(client, callback_url: str):
    parts = urlsplit(callback_url)
    assert parts.path == reverse("galleries:callback", args=["pictime"])
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def stored_tokens(studio) -> tuple[str, str]:
    link = GalleryLink.objects.get(studio=studio)
    return decrypt_secret(link.access_token_encrypted), decrypt_secret(link.refresh_token_encrypted)


def refresh_directly(standin: StandIn, refresh_token: str) -> requests.Response:
    return requests.post(
        f"{standin.url}/oauth/token/",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(standin.client_id, standin.client_secret),
        timeout=10,
    )
