"""Authentication, errors, docs and the OpenAPI document of /api/v1."""

import re

import jsonschema_rs
import pytest
from django.test import Client
from schemathesis.specs.openapi.definitions import OPENAPI_31

from api.models import ApiKey
from api.services import generate_api_key, revoke_api_key, rotate_api_key
from testkit.api_client import ApiClient

pytestmark = pytest.mark.django_db


def test_me_is_the_keys_studio(api, studio):
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "id": studio.pk,
        "name": "Lumen Studio",
        "default_currency": "GBP",
        "country": "GB",
        "time_zone": "UTC",
    }


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Token cyan_abcdefgh_" + "a" * 32, "Basic dXNlcjpwYXNz"],
)
def test_missing_or_wrong_key_is_401_with_a_code(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert "Bearer" in response.json()["error"]["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_key_is_401(client, studio):
    api_key, raw = generate_api_key(studio=studio)
    api = ApiClient(client, raw)
    assert api.get("/api/v1/me").status_code == 200
    revoke_api_key(api_key=api_key)
    response = api.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


def test_rotated_key_is_401_and_its_replacement_works(client, studio):
    api_key, raw = generate_api_key(studio=studio)
    _new, new_raw = rotate_api_key(api_key=api_key)
    assert ApiClient(client, raw).get("/api/v1/me").status_code == 401
    assert ApiClient(client, new_raw).get("/api/v1/me").status_code == 200


def test_a_call_records_last_used(api, api_key_and_raw):
    api_key, _raw = api_key_and_raw
    api.get("/api/v1/me")
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is not None


def test_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_bad_path_parameter_is_a_validation_error(api):
    response = api.get("/api/v1/contacts/abc")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error" and "contact_id" in body["fields"]


def test_malformed_json_body_is_a_validation_error(api):
    response = api.post("/api/v1/contacts", "{not json")
    assert response.status_code in (400, 422)
    assert response.json()["error"]["code"] in ("validation_error", "bad_request", "http_400")


@pytest.mark.usefixtures("shared_cache")
def test_rate_limit_answers_429_rate_limited(api, other_api, monkeypatch):
    from api.v1 import api as ninja_api

    monkeypatch.setattr(ninja_api.throttle, "num_requests", 2)
    statuses = [api.get("/api/v1/me").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = api.get("/api/v1/me")
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1
    assert other_api.get("/api/v1/me").status_code == 200  # counted per key


def test_docs_are_served_offline(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "swagger-ui" in html
    assert "/api/v1/openapi.json" in html
    assert '"validatorUrl": null' in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "cdn" not in html.lower()
    for asset in re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", html):
        assert Client().get(asset).status_code == 200, asset


def test_openapi_document_is_valid_and_complete(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    jsonschema_rs.validator_for(OPENAPI_31).validate(document)
    paths = document["paths"]
    assert set(paths) >= {
        "/api/v1/me",
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/shoots",
        "/api/v1/shoots/{shoot_id}",
        "/api/v1/sales",
        "/api/v1/sales/{sale_id}",
    }
    for resource in ("contacts", "shoots", "sales"):
        assert set(paths[f"/api/v1/{resource}"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{resource}/{{{resource[:-1]}_id}}"]) == {"get", "patch"}
    assert document["components"]["securitySchemes"]["ApiKeyAuth"]["scheme"] == "bearer"
