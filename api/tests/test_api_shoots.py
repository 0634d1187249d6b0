import datetime as dt

import pytest

from contacts.services import create_contact
from shoots.models import Shoot
from testkit.factories import make_shoot

pytestmark = pytest.mark.django_db
STARTS = dt.datetime(2026, 6, 20, 14, 0, tzinfo=dt.UTC)


LEE_WEDDING = {"title": "Lee wedding", "shoot_type": "wedding", "starts_at": STARTS}


def test_create_then_get_a_shoot_with_its_contacts(api, studio, ann):
    response = api.post(
        "/api/v1/shoots",
        {
            "title": "Lee wedding",
            "shoot_type": "wedding",
            "starts_at": "2026-06-20T15:00:00+01:00",
            "location": "Leeds",
            "contacts": [{"contact_id": ann.pk, "role": "client"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "enquiry" and body["location"] == "Leeds"
    assert body["contacts"] == [{"contact_id": ann.pk, "name": "Ann Lee", "role": "client"}]
    shoot = Shoot.objects.get(pk=body["id"])
    assert shoot.studio == studio and shoot.starts_at == STARTS
    assert api.get(f"/api/v1/shoots/{shoot.pk}").json() == body


def test_create_refuses_bad_input(api, studio, other_studio):
    theirs = create_contact(studio=other_studio, first_name="Zed")
    response = api.post(
        "/api/v1/shoots",
        {"title": "x", "starts_at": "2026-06-20T15:00:00", "shoot_type": "party"},
    )
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"starts_at", "shoot_type"}

    links = [{"contact_id": theirs.pk}]
    response = api.post(
        "/api/v1/shoots", {"title": "x", "starts_at": "2026-06-20T15:00:00Z", "contacts": links}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "contacts" in error["fields"]
    assert not Shoot.objects.for_studio(studio).exists()


def test_patch_updates_fields_status_and_contacts(api, studio, ann):
    shoot = make_shoot(studio, status="enquiry", **LEE_WEDDING)
    bo = create_contact(studio=studio, first_name="Bo")
    response = api.patch(
        f"/api/v1/shoots/{shoot.pk}",
        {"status": "confirmed", "notes": "Bring the ladder", "contacts": [{"contact_id": bo.pk}]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed" and body["notes"] == "Bring the ladder"
    assert [c["contact_id"] for c in body["contacts"]] == [bo.pk]
    assert body["title"] == "Lee wedding"


def test_patch_refuses_a_forbidden_status_change_and_changes_nothing(api, studio):
    shoot = make_shoot(studio, status="enquiry", **LEE_WEDDING)
    response = api.patch(f"/api/v1/shoots/{shoot.pk}", {"status": "completed", "title": "Renamed"})
    assert response.status_code == 422
    assert "status" in response.json()["error"]["fields"]
    shoot.refresh_from_db()
    assert (shoot.status, shoot.title) == ("enquiry", "Lee wedding")


def test_list_filters_by_status(api, studio):
    make_shoot(studio, status="enquiry", **(LEE_WEDDING | {"title": "One"}))
    confirmed = make_shoot(studio, status="confirmed", **(LEE_WEDDING | {"title": "Two"}))
    data = api.get("/api/v1/shoots", {"status": "confirmed"}).json()["data"]
    assert [s["id"] for s in data] == [confirmed.pk]
    response = api.get("/api/v1/shoots", {"status": "nope"})
    assert response.status_code == 422 and "status" in response.json()["error"]["fields"]


def test_another_studios_shoots_are_not_found(api, other_studio):
    theirs = make_shoot(other_studio, status="enquiry", **LEE_WEDDING)
    for response in (
        api.get(f"/api/v1/shoots/{theirs.pk}"),
        api.patch(f"/api/v1/shoots/{theirs.pk}", {"title": "Hacked"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/shoots").json()["data"] == []
