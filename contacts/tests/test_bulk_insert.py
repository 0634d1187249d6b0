"""contacts.bulk_insert.insert stores exactly what Model.objects.bulk_create stores: the
same people built twice (contacts.services.build_contacts), inserted once each way, read
back field by field (all but ids and timestamps; details by their contact's place in
the list), in one slice and in many. (An import's done rows: transfers/tests/
test_bulk_rows.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from contacts import bulk_insert, services
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone

PEOPLE = [
    {
        "first_name": "Zoë",
        "last_name": "O'Brien-Smith",
        "company": "Ørsted & Sons",
        "notes": "line one\nline two; 'quoted' \"double\" %s %(x)s",
        "source": "import",
        "emails": ["Zoe@Example.COM", "zoe.work@example.org"],
        "phones": ["07700 900123", "+1 415 555 0100"],
        "addresses": [
            {"line1": "1 High St", "city": "Bath", "postcode": "ba1 1aa"},
            {"line1": "Flat 2, 10 Low Rd", "line2": "Leith", "city": "Edinburgh"},
        ],
    },
    {"first_name": "", "last_name": "Lee", "emails": ["lee@example.com"]},
    {"first_name": "Bob", "last_name": "", "phones": ["+44 7700 900456"]},
    {"first_name": "李", "last_name": "王", "emails": ["wang@example.cn"], "notes": ""},
]
SKIP = {"id", "created_at", "updated_at", "contact_id", "contact"}


def _values(model, objs) -> list[dict]:
    rows = {r["id"]: r for r in model.objects.filter(pk__in=[o.pk for o in objs]).values()}
    return [{k: v for k, v in rows[o.pk].items() if k not in SKIP} for o in objs]


def _insert_both(studio, insert_one):
    """The people built twice: inserted with bulk_create and with `insert_one`."""
    stored = []
    for insert in (lambda model, objs: model.objects.bulk_create(objs), insert_one):
        built = services.build_contacts(studio=studio, people=PEOPLE)
        contacts = [contact for contact, _rows in built]
        insert(Contact, contacts)
        details = {}
        for contact, (emails, phones, addresses, _tags) in built:
            for row in [*(emails or []), *(phones or []), *(addresses or [])]:
                row.studio_id, row.contact = studio.pk, contact
                details.setdefault(type(row), []).append(row)
        for model, rows in details.items():
            insert(model, rows)
        stored.append((contacts, details))
    return stored


def _check(studio, stored):
    (contacts_a, details_a), (contacts_b, details_b) = stored
    assert _values(Contact, contacts_a) == _values(Contact, contacts_b)
    for contact in contacts_b:
        assert contact.pk is not None and not contact._state.adding
        assert contact._state.db == "default"
        assert contact.created_at is not None and contact.updated_at is not None
    # ids in the list's order (the import relies on it for its provisional ids)
    assert [c.pk for c in contacts_b] == sorted(c.pk for c in contacts_b)
    assert set(details_a) == set(details_b) == {ContactEmail, ContactPhone, ContactAddress}
    where = {c.pk: i for i, c in enumerate(contacts_a)} | {
        c.pk: i for i, c in enumerate(contacts_b)
    }
    for model in details_a:
        rows_a, rows_b = details_a[model], details_b[model]
        assert _values(model, rows_a) == _values(model, rows_b)
        assert [where[r.contact_id] for r in rows_a] == [where[r.contact_id] for r in rows_b]
        stored_b = dict(
            model.objects.filter(pk__in=[r.pk for r in rows_b]).values_list("pk", "contact_id")
        )
        assert all(stored_b[r.pk] == r.contact_id for r in rows_b)
    reread = Contact.objects.get(pk=contacts_b[0].pk)
    assert reread.created_at == contacts_b[0].created_at  # the value set on the object


@pytest.mark.django_db
def test_insert_stores_what_bulk_create_stores(studio):
    _check(studio, _insert_both(studio, bulk_insert.insert))


@pytest.mark.django_db
def test_insert_in_many_slices_stores_the_same(studio, monkeypatch):
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 2)
    _check(studio, _insert_both(studio, bulk_insert.insert))


@pytest.mark.django_db
def test_a_row_with_its_id_goes_to_bulk_create(studio):
    contact = Contact(studio=studio, first_name="Ann", name_key="ann", surname_key="")
    contact.pk = 10**9
    bulk_insert.insert(Contact, [contact])
    assert Contact.objects.get(pk=10**9).first_name == "Ann"
    assert timezone.now() - contact.created_at < dt.timedelta(minutes=1)
