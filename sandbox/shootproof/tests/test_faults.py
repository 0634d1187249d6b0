"""Fault modes: they hit the Studio API only, answer with problems, and wear off."""

from __future__ import annotations

import pytest

from .conftest import body

pytestmark = pytest.mark.django_db


def _fault(control, **data) -> dict:
    response = control.post("/control/faults", data)
    assert response.status_code == 200, response.content
    return body(response)


def test_rate_limit_with_retry_after(api, control):
    _fault(control, mode="rate_limit", seconds=7)
    response = api.get("/studio/brand")
    assert response.status_code == 429
    assert response["Retry-After"] == "7"
    assert response["Content-Type"] == "application/problem+json"
    assert body(response)["status"] == 429


def test_rate_limit_without_retry_after(api, control):
    _fault(control, mode="rate_limit_no_retry_after")
    response = api.get("/studio/brand")
    assert response.status_code == 429 and "Retry-After" not in response


@pytest.mark.parametrize("status", [None, 500, 502])
def test_server_error(api, control, status):
    data = {"mode": "server_error"} | ({"status": status} if status else {})
    _fault(control, **data)
    response = api.get("/studio")
    assert response.status_code == (status or 503)
    assert body(response)["status"] == (status or 503)


def test_count_limits_the_fault_then_it_wears_off(api, control):
    assert _fault(control, mode="server_error", count=2)["count"] == 2
    assert [api.get("/studio").status_code for _ in range(3)] == [503, 503, 200]
    assert body(control.get("/control/faults"))["mode"] == "none"


def test_slow_mode_still_answers(api, control):
    _fault(control, mode="slow", seconds=0.05, count=1)
    assert api.get("/studio/brand").status_code == 200
    assert body(control.get("/control/faults"))["mode"] == "none"


def test_faults_leave_oauth_and_control_alone(oauth, control):
    _fault(control, mode="server_error")
    assert oauth.tokens()["access_token"]
    assert control.get("/control/faults").status_code == 200
    _fault(control, mode="none")


def test_revoke_tokens_ends_access_and_refresh(oauth, tokens, api, control):
    data = _fault(control, mode="revoke_tokens")
    assert data["revoked"] >= 2 and data["mode"] == "none"
    assert api.get("/studio").status_code == 401
    status, refreshed = oauth.token(
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert status == 400 and refreshed["error"] == "invalid_grant"


def test_revoke_tokens_of_one_studio_only(api, control):
    data = _fault(control, mode="revoke_tokens", account_email="someone@else.test")
    assert data["revoked"] == 0
    assert api.get("/studio").status_code == 200


def test_unknown_mode_is_refused(control):
    response = control.post("/control/faults", {"mode": "meltdown"})
    assert response.status_code == 400 and "mode" in body(response)["info"]["errors"]
