"""GET /api/v1/inbox/{id}/match tells the match without importing: the outcome, the
candidates with what tells them apart and why (the same preview the import window shows),
and the shoot that would be offered. The import endpoint's create_contact defaults to the
studio's preference, and a shoot that is not the contact's is refused."""

from datetime import UTC, datetime

import pytest

from contacts.services import create_contact
from inbox.import_window import plan_import
from sales.models import Sale
from testkit.factories import make_shoot as shoot
from testkit.factories import receive


@pytest.fixture
def ada(studio):
    return create_contact(
        studio=studio,
        first_name="Ada",
        last_name="Lovelace",
        emails=["ada@example.com"],
        addresses=[{"line1": "1 High St", "city": "London", "postcode": "N1 9GU"}],
    )


def match_of(api, item, **params):
    response = api.get(f"/api/v1/inbox/{item.pk}/match", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_a_certain_match_with_its_reasons_details_and_offered_shoot(api, studio, ada):
    shoot(studio, ada, "Spring portraits", datetime(2026, 3, 1, tzinfo=UTC))
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    body = match_of(api, item)
    assert body["outcome"] == "certain" and body["contact_id"] == ada.pk
    best = body["candidates"][0]
    assert best["contact_id"] == ada.pk and best["name"] == "Ada Lovelace" and best["certain"]
    assert (best["email"], best["town"], best["postcode"]) == (
        "ada@example.com",
        "London",
        "N1 9GU",
    )
    assert best["last_shoot"]["id"] == recent.pk and best["last_sale"] is None
    assert best["reasons"] == plan_import(item=item).match.best.reasons  # the window's words
    assert "score" not in best
    assert body["offered_shoot"] == {
        "id": recent.pk,
        "title": "Family day",
        "starts_at": "2026-04-20T00:00:00Z",
        "status": "confirmed",
    }
    assert {d["key"] for d in body["new_details"]} == {"phone"}
    assert body["create_contact"] is True
    assert Sale.objects.count() == 0  # nothing imported


@pytest.mark.django_db
def test_namesakes_are_possible_and_told_apart(api, studio):
    london = create_contact(
        studio=studio,
        first_name="Ava",
        last_name="Evans",
        emails=["ava.e@example.com"],
        addresses=[{"line1": "2 Low Rd", "city": "London", "postcode": "E1 6AN"}],
    )
    leeds = create_contact(
        studio=studio,
        first_name="Ava",
        last_name="Evans",
        phones=["+44 113 496 0000"],
        addresses=[{"line1": "9 Hill St", "city": "Leeds", "postcode": "LS1 4AP"}],
    )
    item = receive(studio, first_name="Ava", last_name="Evans", email="ava@elsewhere.example")
    body = match_of(api, item)
    assert body["outcome"] == "possible" and body["contact_id"] is None
    assert body["offered_shoot"] is None and body["new_details"] == []
    by_id = {c["contact_id"]: c for c in body["candidates"]}
    assert (by_id[london.pk]["email"], by_id[london.pk]["town"]) == ("ava.e@example.com", "London")
    assert (by_id[leeds.pk]["phone"], by_id[leeds.pk]["postcode"]) == (
        "+44 113 496 0000",
        "LS1 4AP",
    )
    assert all(c["reasons"] and not c["certain"] for c in body["candidates"])


@pytest.mark.django_db
def test_no_match_and_the_studios_preference(api, studio):
    studio.create_contact_on_import = False
    studio.save()
    item = receive(studio, first_name="Zed", last_name="Quux", email="zed@example.org")
    body = match_of(api, item)
    assert (body["outcome"], body["candidates"], body["contact_id"]) == ("none", [], None)
    assert body["offered_shoot"] is None and body["create_contact"] is False


@pytest.mark.django_db
def test_the_shoot_offered_for_a_contact_of_the_callers_choice(api, studio, ada, other_studio):
    grace = create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    hers = shoot(studio, grace, "Navy portraits", datetime(2026, 2, 1, tzinfo=UTC))
    item = receive(studio)
    body = match_of(api, item, contact_id=grace.pk)
    assert body["contact_id"] == grace.pk and body["offered_shoot"]["id"] == hers.pk
    assert body["outcome"] == "certain"  # the matcher's view is unchanged
    stranger = create_contact(studio=other_studio, first_name="Ada", last_name="Lovelace")
    refused = api.get(f"/api/v1/inbox/{item.pk}/match", {"contact_id": stranger.pk})
    assert refused.status_code == 422 and "contact_id" in refused.json()["error"]["fields"]


@pytest.mark.django_db
def test_match_of_an_enquiry_or_another_studios_item(api, other_api):
    enquiry = api.post(
        "/api/v1/inbox/enquiries",
        {"first_name": "Ida", "email": "ida@example.com", "message": "Hi"},
    ).json()["item"]["id"]
    response = api.get(f"/api/v1/inbox/{enquiry}/match")
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    theirs = other_api.post(
        "/api/v1/inbox/enquiries",
        {"first_name": "Ida", "email": "ida@example.com", "message": "Hi"},
    ).json()["item"]["id"]
    for item_id in (theirs, 999999):
        missing = api.get(f"/api/v1/inbox/{item_id}/match")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("preference", [True, False])
def test_import_create_contact_defaults_to_the_studios_preference(api, studio, preference):
    studio.create_contact_on_import = preference
    studio.save()
    item = receive(studio, first_name="Zed", last_name="Quux", email="zed@example.org")
    response = api.post(f"/api/v1/inbox/{item.pk}/import", {})
    assert response.status_code == (201 if preference else 422)
    assert Sale.objects.count() == (1 if preference else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("contact", ["other", "new"])
def test_import_refuses_a_shoot_that_is_not_the_contacts(api, studio, ada, contact):
    family = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    grace = create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    item = receive(studio)
    choice = {"contact_id": grace.pk} if contact == "other" else {"create_contact": True}
    if contact == "new":
        item = receive(studio, 2, first_name="Zed", last_name="Quux", email="zed@example.org")
    response = api.post(f"/api/v1/inbox/{item.pk}/import", {**choice, "shoot": family.pk})
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert "is not a shoot of" in error["message"]
    assert not Sale.objects.exists()


@pytest.mark.django_db
def test_the_match_endpoint_is_documented(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/inbox/{item_id}/match"]["get"]
    assert set(operation["responses"]) >= {"200", "401", "404", "422"}
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    out = document["components"]["schemas"][name]
    assert set(out["required"]) >= {"outcome", "candidates", "contact_id", "offered_shoot"}
    assert out["properties"]["outcome"]["enum"] == ["certain", "possible", "none"]
    import_in = document["components"]["schemas"]["ImportIn"]["properties"]["create_contact"]
    assert "preference" in import_in["description"]
