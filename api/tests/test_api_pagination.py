import base64

import pytest

from api.pagination import decode_cursor, encode_cursor
from contacts.services import create_contact

pytestmark = pytest.mark.django_db


def test_cursor_round_trips_and_is_opaque_base64():
    cursor = encode_cursor(12345)
    assert decode_cursor(cursor) == 12345
    assert "12345" not in cursor
    base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def test_paging_through_every_contact_sees_each_once_newest_first(api, studio, other_studio):
    ids = [create_contact(studio=studio, first_name=f"C{n:02}").pk for n in range(23)]
    create_contact(studio=other_studio, first_name="Not mine")
    seen, pages, cursor = [], 0, None
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        response = api.get("/api/v1/contacts", params)
        assert response.status_code == 200
        body = response.json()
        assert len(body["data"]) <= 5
        seen += [c["id"] for c in body["data"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert seen == sorted(ids, reverse=True)  # no duplicates, no misses, newest first


def test_rows_created_while_paging_do_not_shift_pages(api, studio):
    first = [create_contact(studio=studio, first_name=f"C{n}").pk for n in range(4)]
    page1 = api.get("/api/v1/contacts", {"limit": 2}).json()
    create_contact(studio=studio, first_name="Newcomer")
    page2 = api.get("/api/v1/contacts", {"limit": 2, "cursor": page1["next_cursor"]}).json()
    got = [c["id"] for c in page1["data"] + page2["data"]]
    assert got == sorted(first, reverse=True)
    assert page2["next_cursor"] is None


def test_exact_multiple_of_the_limit_ends_without_an_empty_page(api, studio):
    for n in range(4):
        create_contact(studio=studio, first_name=f"C{n}")
    page = api.get("/api/v1/contacts", {"limit": 4}).json()
    assert len(page["data"]) == 4 and page["next_cursor"] is None


@pytest.mark.parametrize("limit", [0, 101, "many"])
def test_limit_is_bounded(api, limit):
    response = api.get("/api/v1/contacts", {"limit": limit})
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


@pytest.mark.parametrize("cursor", ["garbage!", "eyJ4IjoxfQ", encode_cursor(1)[:-2] + "$$"])
def test_a_bad_cursor_is_a_validation_error(api, cursor):
    response = api.get("/api/v1/contacts", {"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"cursor": "Invalid cursor."}


@pytest.mark.parametrize("resource", ["shoots", "sales"])
def test_other_lists_are_paged_too(api, resource):
    body = api.get(f"/api/v1/{resource}", {"limit": 100}).json()
    assert body == {"data": [], "next_cursor": None}
