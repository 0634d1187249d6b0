"""Linking ShootProof in tests, through the real stand-in, without a browser: Cyan's
authorise button, the photographer at ShootProof (log in, Approve), back at Cyan, and the
"Choose the brand" page. The `shootproof` fixture points Cyan at the session's stand-in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from galleries.models import GalleryLink
from testkit.standin.shootproof import ShootProofStandIn, point_cyan_at_shootproof

SETTINGS = reverse("galleries:settings")
CHOOSE = reverse("galleries:choose", args=["shootproof"])


@pytest.fixture
def shootproof(settings, shootproof_standin: ShootProofStandIn) -> ShootProofStandIn:
    point_cyan_at_shootproof(settings, shootproof_standin)
    return shootproof_standin


def approve(client, standin: ShootProofStandIn, account: dict, decision: str = "Approve"):
    """Cyan's authorise button, the photographer at ShootProof, then back at Cyan."""
    response = client.post(reverse("galleries:authorise", args=["shootproof"]))
    assert response.status_code == 302, response.content
    back = standin.user(account["email"], account["password"]).authorise(
        response["Location"], decision
    )
    parts = urlsplit(back)
    assert parts.path == reverse("galleries:callback", args=["shootproof"])
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def link_brand(client, standin, account: dict, index: int = 1) -> GalleryLink:
    response = approve(client, standin, account)
    assert response.redirect_chain[-1][0] == CHOOSE
    chosen = account["brands"][index]
    response = client.post(CHOOSE, {"account": str(chosen["id"])}, follow=True)
    assert response.redirect_chain[-1][0] == SETTINGS
    return GalleryLink.objects.get(
        provider="shootproof",
        provider_account_id=str(chosen["id"]),
        status=GalleryLink.Status.LINKED,
    )
