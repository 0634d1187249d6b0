"""Candidate generation for many orders at once (an import chunk): the same look-ups as
contacts.matching_lookup.collect, gathered per key across all the orders.

One statement per kind of key (name, surname, email, phone, postcode, street) finds
every contact any of the orders' keys finds, each key value limited to its cap (a
window per value); three more read those contacts, their addresses and whether they
have an email / a phone. Each order's Hits are then assembled from these, exactly as
collect would have read them: whenever a look-up of one order could have reached its
cap (so that the single query's LIMIT would have chosen which contacts it saw), or the
order names a gallery, that order gets None and the caller asks collect itself. So the
Hits given here equal collect's, and a match found through them equals find_matches'
(contacts/tests/test_matching_batch.py checks this over random orders).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from accounts.models import Studio
from contacts.matching_lookup import Found, Hits, Probe, _cap, _marks, _tables
from contacts.models import Contact
from contacts.similarity import fold_town

# (label, table, key column, contact id column); as matching_lookup._branches.
_KINDS = (
    ("name", "contact", "name_key", "id"),
    ("surname", "contact", "surname_key", "id"),
    ("email", "email", "email_normalized", "contact_id"),
    ("phone", "phone", "e164", "contact_id"),
    ("postcode", "address", "postcode_key", "contact_id"),
    ("street", "address", "street_key", "contact_id"),
)
IN_SIZE = 500  # values per IN list (SQLite's limit on parameters)


def _values(label: str, probe: Probe) -> Sequence[str]:
    """The probe's values for one kind of key (those matching_lookup._branches uses)."""
    if label == "name":
        return sorted(probe.name_keys)
    if label == "surname":
        return sorted(probe.surname_keys)
    value = {"email": probe.email, "phone": probe.e164}.get(label)
    if value is None:
        value = probe.postcode if label == "postcode" else probe.street
    return [value] if value else []


def _slices(values: Sequence[Any]) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), IN_SIZE):
        yield values[start : start + IN_SIZE]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _look_up(studio_id: int, label: str, values: set[str], t: dict[str, str]) -> dict[str, list]:
    """value → the contact ids its look-up finds (one per row of the key's table, as the
    single query's LIMIT counts them), at most the look-up's cap per value."""
    _label, table, column, id_column = next(k for k in _KINDS if k[0] == label)
    found: dict[str, list[int]] = {}
    for part in _slices(sorted(values)):
        sql = (
            f"SELECT k, cid FROM (SELECT {column} AS k, {id_column} AS cid, "
            f"ROW_NUMBER() OVER (PARTITION BY {column}) AS rn FROM {t[table]} "
            f"WHERE studio_id = %s AND {column} IN ({_marks(part)})) x WHERE rn <= %s"
        )
        for value, contact_id in _fetch(sql, [studio_id, *part, _cap(label)]):
            found.setdefault(value, []).append(contact_id)
    return found


class _Contacts:
    """The found contacts' rows, addresses and whether they have an email / a phone."""

    def __init__(self, ids: set[int], t: dict[str, str]) -> None:
        names = [f.column for f in Contact._meta.concrete_fields]
        attnames = [f.attname for f in Contact._meta.concrete_fields]
        self.first, self.last, self.name_key = (
            attnames.index(n) for n in ("first_name", "last_name", "name_key")
        )
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.places: dict[int, set[tuple[str, str, str]]] = {}
        self.with_email: set[int] = set()
        self.with_phone: set[int] = set()
        columns = ", ".join(names)
        for part in _slices(sorted(ids)):
            marks = _marks(part)
            for row in _fetch(f"SELECT {columns} FROM {t['contact']} WHERE id IN ({marks})", part):
                self.rows[row[0]] = tuple(row)
            address_sql = (
                f"SELECT contact_id, line1, postcode_key, city FROM {t['address']} "
                f"WHERE contact_id IN ({marks})"
            )
            for contact_id, line1, postcode, city in _fetch(address_sql, part):
                if line1 is not None or postcode is not None or city is not None:
                    place = (line1 or "", postcode or "", fold_town(city or ""))
                    self.places.setdefault(contact_id, set()).add(place)
            email_sql = (
                f"SELECT DISTINCT contact_id FROM {t['email']} WHERE contact_id IN ({marks})"
            )
            self.with_email |= {r[0] for r in _fetch(email_sql, part)}
            phone_sql = (
                f"SELECT DISTINCT contact_id FROM {t['phone']} "
                f"WHERE contact_id IN ({marks}) AND e164 <> ''"
            )
            self.with_phone |= {r[0] for r in _fetch(phone_sql, part)}
        self.sorted_places = {pk: sorted(p) for pk, p in self.places.items()}

    def hits(self, probe: Probe, found: dict[str, set[int]]) -> Hits:
        """One order's Hits, as matching_lookup._read_hits would read them."""
        hits = Hits()
        for ids in found.values():
            for pk in ids:
                if pk in hits.rows:
                    continue
                row = self.rows[pk]
                hits.rows[pk] = row
                hits.contacts[pk] = Found(pk, row[self.first], row[self.last], row[self.name_key])
                if probe.email and pk in self.with_email:
                    hits.with_email.add(pk)
                if probe.e164 and pk in self.with_phone:
                    hits.with_phone.add(pk)
                if pk in self.sorted_places:
                    hits.addresses[pk] = list(self.sorted_places[pk])
        hits.email, hits.phone = found.get("email", set()), found.get("phone", set())
        hits.postcode = found.get("postcode", set())
        return hits


def collect_many(studio: Studio, probes: Sequence[Probe]) -> list[Hits | None]:
    """Each probe's Hits (equal to matching_lookup.collect's), or None for a probe that
    collect must answer itself (a look-up that may reach its cap; a gallery)."""
    t = _tables()
    wanted: dict[str, set[str]] = {label: set() for label, *_rest in _KINDS}
    for probe in probes:
        if probe.is_empty or probe.has_gallery:
            continue
        for label, *_rest in _KINDS:
            wanted[label].update(_values(label, probe))
    by_value = {
        label: _look_up(studio.pk, label, values, t) if values else {}
        for label, values in wanted.items()
    }
    per_probe: list[dict[str, set[int]] | None] = []
    for probe in probes:
        per_probe.append(None if probe.has_gallery else _found(probe, by_value))
    ids = {pk for found in per_probe if found for ids in found.values() for pk in ids}
    contacts = _Contacts(ids, t)
    return [
        contacts.hits(p, f) if f is not None else None
        for p, f in zip(probes, per_probe, strict=True)
    ]


def _found(probe: Probe, by_value: dict[str, dict[str, list[int]]]) -> dict[str, set[int]] | None:
    """label → contacts found, or None when a look-up may have reached its cap."""
    found: dict[str, set[int]] = {}
    for label, *_rest in _KINDS:
        values = _values(label, probe)
        if not values:
            continue
        rows = [pk for value in values for pk in by_value[label].get(value, ())]
        if len(rows) >= _cap(label):
            return None
        if rows:
            found[label] = set(rows)
    return found
