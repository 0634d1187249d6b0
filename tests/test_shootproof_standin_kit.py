"""The test kit's ShootProof stand-in: it starts, a photographer approves Cyan without a
browser, and the tokens read the studio's brands and orders over real HTTP."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from testkit.standin.shootproof import MEDIA_TYPE

pytestmark = pytest.mark.standin

CALLBACK = "http://127.0.0.1:8999/galleries/shootproof/callback/"


def _tokens(standin, account) -> dict:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": standin.client_id,
            "redirect_uri": CALLBACK,
            "scope": "studio",
            "state": "kit-state",
        }
    )
    back = standin.user(account["email"], account["password"]).authorise(
        f"{standin.url}/oauth2/authorization/new?{query}"
    )
    params = parse_qs(urlsplit(back).query)
    assert back.startswith(CALLBACK) and params["state"] == ["kit-state"]
    response = requests.post(
        standin.token_url,
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": CALLBACK,
        },
        auth=(standin.client_id, standin.client_secret),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_fixture_serves_oauth_brands_and_orders(shootproof_standin, shootproof_account):
    tokens = _tokens(shootproof_standin, shootproof_account)
    assert tokens["expires_in"] == 1209600
    brands = shootproof_standin.api("GET", "/studio/brand", tokens["access_token"])
    assert brands.headers["Content-Type"] == MEDIA_TYPE
    names = [b["name"] for b in brands.json()["items"]]
    assert names == ["Hillside Portraits", "Hillside Weddings"]
    second = shootproof_account["brands"][1]["id"]
    placed = shootproof_standin.control(
        "POST",
        "/control/orders",
        {"account_email": shootproof_account["email"], "brand_id": second, "count": 3, "seed": 5},
    )
    assert placed.status_code == 201, placed.text
    listed = shootproof_standin.api(
        "GET", f"/studio/brand/{second}/order", tokens["access_token"]
    ).json()
    assert listed["meta"]["totalItems"] == 3
    assert {o["id"] for o in listed["items"]} == {o["id"] for o in placed.json()["orders"]}
    order = listed["items"][0]
    for rel, kind in (("items", "order-item-list"), ("payments", "order-payment-list")):
        sub = shootproof_standin.api("GET", order["links"][rel]["href"], tokens["access_token"])
        assert sub.status_code == 200 and sub.json()["type"] == kind
