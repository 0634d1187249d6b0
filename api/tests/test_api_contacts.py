import pytest

from contacts.models import Contact
from contacts.services import create_contact

pytestmark = pytest.mark.django_db

ANN = {
    "first_name": "Ann",
    "last_name": "Lee",
    "emails": [{"email": "Ann@Example.com", "label": "home"}],
    "phones": [{"number": "07700 900123"}],
    "addresses": [{"line1": "1 High St", "city": "Leeds", "postcode": "LS1 1AA", "country": "gb"}],
    "tags": ["vip", "wedding"],
}


def test_create_then_get_a_contact_with_its_details(api, studio):
    response = api.post("/api/v1/contacts", ANN)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["display_name"] == "Ann Lee" and body["source"] == "api"
    assert body["emails"] == [{"email": "Ann@Example.com", "label": "home", "is_primary": True}]
    assert body["phones"][0]["e164"] == "+447700900123"
    assert body["addresses"][0]["country"] == "GB"
    assert sorted(body["tags"]) == ["vip", "wedding"]
    contact = Contact.objects.get(pk=body["id"])
    assert contact.studio == studio and contact.source == "api"

    fetched = api.get(f"/api/v1/contacts/{body['id']}")
    assert fetched.status_code == 200 and fetched.json() == body


def test_an_explicit_source_is_kept(api):
    response = api.post("/api/v1/contacts", {"company": "Acme", "source": "referral"})
    assert response.status_code == 201 and response.json()["source"] == "referral"


def test_create_refuses_bad_input_with_field_errors(api, studio):
    response = api.post("/api/v1/contacts", {"emails": [{"email": "not-an-email"}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"]
    assert "emails.0.email" in error["fields"]
    assert not Contact.objects.for_studio(studio).exists()


def test_create_refuses_wrong_types_and_unknown_choices(api):
    response = api.post("/api/v1/contacts", {"first_name": 5, "source": "carrier-pigeon"})
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"first_name", "source"}


def test_patch_changes_only_what_is_sent_and_lists_replace(api, studio):
    contact = create_contact(
        studio=studio, first_name="Bo", last_name="Ng", emails=["bo@example.com"], tags=["a"]
    )
    response = api.patch(
        f"/api/v1/contacts/{contact.pk}", {"last_name": "Nguyen", "tags": ["b", "c"]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["first_name"], body["last_name"]) == ("Bo", "Nguyen")
    assert sorted(body["tags"]) == ["b", "c"]
    assert [e["email"] for e in body["emails"]] == ["bo@example.com"]


def test_patch_refuses_null_and_invalid_values(api, studio):
    contact = create_contact(studio=studio, first_name="Bo")
    response = api.patch(f"/api/v1/contacts/{contact.pk}", {"first_name": None})
    assert response.status_code == 422 and "first_name" in response.json()["error"]["fields"]
    response = api.patch(f"/api/v1/contacts/{contact.pk}", {"first_name": "", "emails": []})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    contact.refresh_from_db()
    assert contact.first_name == "Bo"


def test_list_searches(api, studio):
    create_contact(studio=studio, first_name="Ann", last_name="Lee")
    create_contact(studio=studio, first_name="Bob", last_name="Stone")
    names = [c["display_name"] for c in api.get("/api/v1/contacts", {"q": "stone"}).json()["data"]]
    assert names == ["Bob Stone"]
    all_names = [c["display_name"] for c in api.get("/api/v1/contacts").json()["data"]]
    assert all_names == ["Bob Stone", "Ann Lee"]  # newest first


def test_another_studios_contacts_are_not_found(api, other_studio):
    theirs = create_contact(studio=other_studio, first_name="Secret")
    for response in (
        api.get(f"/api/v1/contacts/{theirs.pk}"),
        api.patch(f"/api/v1/contacts/{theirs.pk}", {"first_name": "Hacked"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/contacts").json()["data"] == []
    theirs.refresh_from_db()
    assert theirs.first_name == "Secret"


def test_unsupported_method_is_a_json_405(api, studio):
    contact = create_contact(studio=studio, first_name="Bo")
    response = api.client.delete(
        f"/api/v1/contacts/{contact.pk}", headers={"Authorization": f"Bearer {api.key}"}
    )
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert Contact.objects.filter(pk=contact.pk).exists()
