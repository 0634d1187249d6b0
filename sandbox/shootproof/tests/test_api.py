"""The Studio API's shape: media type, hypermedia links, brands, problems, scopes."""

from __future__ import annotations

import pytest

from .conftest import MEDIA_TYPE, Api, body

pytestmark = pytest.mark.django_db


def _assert_link(entry: dict, templated: bool = False) -> None:
    assert set(entry) == {"href", "templated", "type"}
    assert entry["templated"] is templated and entry["type"] == MEDIA_TYPE
    assert entry["href"].startswith("/studio")


def test_entry_point_links_to_brands_with_a_template(api):
    response = api.get("/studio")
    assert response.status_code == 200
    assert response["Content-Type"] == MEDIA_TYPE
    data = body(response)
    assert data["type"] == "studio"
    _assert_link(data["links"]["self"])
    assert data["links"]["brand"]["href"] == "/studio/brand{/id}"
    _assert_link(data["links"]["brand"], templated=True)


def test_brand_list_has_both_demo_brands_with_links_and_meta(api, brands):
    data = body(api.get("/studio/brand"))
    assert data["type"] == "brand-list"
    assert [b["name"] for b in data["items"]] == [
        "Juniper Lane Photography",
        "Juniper Lane Weddings",
    ]
    first = data["items"][0]
    assert first["type"] == "brand" and first["id"] == brands[0].id
    assert first["currencyCode"] == "GBP" and "@" in first["email"]
    for rel in ("self", "notification"):
        _assert_link(first["links"][rel])
    _assert_link(first["links"]["order"], templated=True)
    assert data["meta"] == {"currentPage": 1, "rows": 25, "totalItems": 2, "totalPages": 1}


def test_following_a_templated_brand_link(api, brands):
    template = body(api.get("/studio"))["links"]["brand"]["href"]
    href = template.replace("{/id}", f"/{brands[1].id}")
    data = body(api.get(href))
    assert data["name"] == "Juniper Lane Weddings"
    assert data["links"]["self"]["href"] == href


def test_events_of_a_brand(api, brands):
    data = body(api.get(f"/studio/brand/{brands[1].id}/event"))
    assert data["type"] == "event-list"
    assert {e["name"] for e in data["items"]} == {
        "Maya & Jonas: Wedding at Hillside Barn",
        "Aiko & Daniel: Engagement",
    }
    event = data["items"][0]
    assert body(api.get(event["links"]["self"]["href"]))["id"] == event["id"]


def _assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    data = body(response)
    assert data["status"] == status
    assert data["type"].startswith("https://developer.shootproof.com/errors#error-")
    assert data["title"] and data["detail"]
    assert isinstance(data["info"]["errors"], dict)
    return data


def test_no_token_is_a_401_problem_with_a_challenge(client, db):
    response = client.get("/studio")
    _assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer realm=")


def test_a_bad_token_is_a_401_problem(client, db):
    _assert_problem(Api(client, "not-a-token").get("/studio/brand"), 401)


def test_another_studios_brand_is_403_and_a_missing_one_404(api, control):
    other = body(control.post("/control/accounts", {"brands": ["Elsewhere"]}))
    data = _assert_problem(api.get(f"/studio/brand/{other['brands'][0]['id']}"), 403)
    assert "permission" in data["detail"]
    _assert_problem(api.get(f"/studio/brand/{other['brands'][0]['id']}/order"), 403)
    _assert_problem(api.get("/studio/brand/999999"), 404)


def test_unknown_paths_and_methods_are_problems(api, brands):
    _assert_problem(api.get("/studio/nothing/here"), 404)
    _assert_problem(api.post(f"/studio/brand/{brands[0].id}/order"), 405)


def test_validation_errors_name_the_field_in_info_errors(api, brands):
    data = _assert_problem(api.get(f"/studio/brand/{brands[0].id}/order", {"rows": "101"}), 400)
    assert list(data["info"]["errors"]) == ["rows"]
    assert "notBetween" in data["info"]["errors"]["rows"]


def test_read_only_scope_reads_but_cannot_dismiss(oauth, client, brands, control):
    control.orders(count=1, seed=1)
    read_only = Api(client, oauth.tokens(scope="studio.read-only")["access_token"])
    feed = body(read_only.get(f"/studio/brand/{brands[0].id}/notification"))
    note = feed["items"][0]
    _assert_problem(read_only.post(note["links"]["dismiss"]["href"]), 403)
    writer = Api(client, oauth.tokens(scope="studio.order.read-write")["access_token"])
    assert writer.post(note["links"]["dismiss"]["href"]).status_code == 200
