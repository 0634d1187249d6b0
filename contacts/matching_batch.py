"""Candidate generation for many orders at once (an import group): the same look-ups as
contacts.matching_lookup.collect, gathered per key across all the orders, and kept
current while the import writes.

One statement per kind of key (name, surname, email, phone, postcode, street) finds,
for every key value any of the orders has, the contacts the single look-up would keep
(the cap's lowest contact ids, a window per value); four more read those contacts,
their addresses and whether they have an email / a phone. Each order's Hits are then
assembled from these exactly as collect would read them: an order's look-up of several
values (its name and nicknames) keeps the lowest ids of the values' lists together,
which is what the single query's `ORDER BY id LIMIT cap` keeps.

An import writes between its rows (new contacts, a merge's new email or address), and a
later row must see those writes as if it were looked up alone. `Lookups.refresh` reads
the written contacts again and files them under the key values the group looked up: a
contact enters a value's list in id order (and pushes the last one out when the list is
full), or leaves it when its name changed. A full list that loses a contact cannot know
which contact comes next: that value is marked unknown, and an order that uses it gets
None, as does an order naming a gallery; the caller then asks collect itself.
contacts/tests/test_matching_batch.py checks that the Hits given equal collect's, before
and after writes.
"""

from __future__ import annotations

from bisect import insort
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
_LABELS = tuple(kind[0] for kind in _KINDS)
IN_SIZE = 500  # values per IN list (SQLite's limit on parameters)
# The contact fields read for each candidate (Hits.fields, in the model's order, as
# Model.from_db wants them): all but the timestamps, the dearest to load, which no
# matcher or import reads (they load on their own if ever asked for).
FIELDS = tuple(
    f.attname for f in Contact._meta.concrete_fields if f.name not in ("created_at", "updated_at")
)


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


def _slices(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    if connection.vendor == "postgresql":
        yield values  # one array parameter (_in): no limit, and a short statement
        return
    for start in range(0, len(values), IN_SIZE):
        yield values[start : start + IN_SIZE]


_SEPARATOR = "\x1f"  # in no key: contacts.keys splits on it (whitespace) or refuses it


def _in(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column IN (...)`: on PostgreSQL `= ANY(...)` of one parameter, so that a statement
    of thousands of values is neither long to send nor slow to bind (the values go as
    one string: psycopg adapts a list of them one by one, in Python)."""
    if connection.vendor != "postgresql":
        return f"{column} IN ({_marks(values)})", list(values)
    if all(isinstance(v, int) for v in values):
        return f"{column} = ANY(CAST(%s AS bigint[]))", ["{" + ",".join(map(str, values)) + "}"]
    if any(_SEPARATOR in v for v in values):
        return f"{column} = ANY(%s)", [values]
    return f"{column} = ANY(string_to_array(%s, %s))", [_SEPARATOR.join(values), _SEPARATOR]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _look_up(studio_id: int, label: str, values: set[str], t: dict[str, str]) -> dict[str, list]:
    """value → the ids of the contacts its look-up keeps (the cap's lowest), ascending."""
    _label, table, column, id_column = next(k for k in _KINDS if k[0] == label)
    found: dict[str, list[int]] = {value: [] for value in values}
    # One row per contact (a contact may have two addresses in one postcode).
    distinct = "DISTINCT " if id_column != "id" else ""
    for part in _slices(sorted(values)):
        where, params = _in(column, part)
        sql = (
            f"SELECT k, cid FROM (SELECT k, cid, ROW_NUMBER() OVER "
            f"(PARTITION BY k ORDER BY cid) AS rn FROM (SELECT {distinct}{column} AS k, "
            f"{id_column} AS cid FROM {t[table]} WHERE studio_id = %s "
            f"AND {where}) d) x WHERE rn <= %s"
        )
        for value, contact_id in _fetch(sql, [studio_id, *params, _cap(label)]):
            found[value].append(contact_id)
    for ids in found.values():
        ids.sort()
    return found


class _Contacts:
    """The found contacts' rows, addresses and whether they have an email / a phone."""

    def __init__(self, t: dict[str, str]) -> None:
        self.t = t
        self.columns = ", ".join(Contact._meta.get_field(name).column for name in FIELDS)
        self.first, self.last, self.name_key, self.surname_key = (
            FIELDS.index(n) for n in ("first_name", "last_name", "name_key", "surname_key")
        )
        self.rows: dict[int, tuple[Any, ...]] = {}
        # What scoring reads of each row (matching_lookup.Found), made once per contact
        # read rather than once per order that meets it.
        self.found: dict[int, Found] = {}
        self.places: dict[int, list[tuple[str, str, str]]] = {}
        self.with_email: set[int] = set()
        self.with_phone: set[int] = set()
        # contact id → its tag ids, for the contacts read from the database (an import's
        # undo record of a merge keeps them); unknown for those built since.
        self.tag_ids: dict[int, list[int]] = {}

    def load(
        self,
        ids: Iterable[int],
        *,
        keys: Iterable[str] = (),
        tags_of: set[int] | None = None,
        first: bool = False,
    ) -> dict[str, dict]:
        """Read these contacts (again), with the detail keys they are found by (label → id
        → values): their addresses' always, their emails' and phones' when in `keys`. Their
        tag ids too, or only those of `tags_of` (the others' are read when asked for).
        `first`: the group's first read (nothing read before to forget, no keys wanted)."""
        t = self.t
        details: dict[str, dict[int, set[str]]] = {"email": {}, "phone": {}}
        details |= {"postcode": {}, "street": {}}
        has_email = f"EXISTS (SELECT 1 FROM {t['email']} e WHERE e.contact_id = c.id)"
        has_phone = (
            f"EXISTS (SELECT 1 FROM {t['phone']} p WHERE p.contact_id = c.id AND p.e164 <> '')"
        )
        width = len(FIELDS)
        for part in _slices(sorted(ids)):
            if not first:
                for pk in part:
                    self.places.pop(pk, None)
                    self.with_email.discard(pk)
                    self.with_phone.discard(pk)
            where, params = _in("c.id", part)
            sql = (
                f"SELECT {self.columns}, {has_email}, {has_phone} "
                f"FROM {t['contact']} c WHERE {where}"
            )
            fetched = _fetch(sql, params)
            self.rows |= {row[0]: row[:width] for row in fetched}
            self.found |= {row[0]: self._found(row) for row in fetched}
            self.with_email.update(row[0] for row in fetched if row[width])
            self.with_phone.update(row[0] for row in fetched if row[width + 1])
            where, params = _in("contact_id", part)
            places: dict[int, set[tuple[str, str, str]]] = {}
            address_sql = (
                f"SELECT contact_id, line1, postcode_key, city, street_key FROM {t['address']} "
                f"WHERE {where}"
            )
            postcodes, streets = details["postcode"], details["street"]
            for contact_id, line1, postcode, city, street in _fetch(address_sql, params):
                if line1 is not None or postcode is not None or city is not None:
                    place = (line1 or "", postcode or "", fold_town(city or ""))
                    places.setdefault(contact_id, set()).add(place)
                if not first:
                    postcodes.setdefault(contact_id, set()).add(postcode or "")
                    streets.setdefault(contact_id, set()).add(street or "")
            self.places |= {pk: sorted(found) for pk, found in places.items()}
            self._load_tags(part if tags_of is None else [pk for pk in part if pk in tags_of])
            if "email" in keys:
                email_sql = f"SELECT contact_id, email_normalized FROM {t['email']} WHERE {where}"
                for contact_id, email in _fetch(email_sql, params):
                    details["email"].setdefault(contact_id, set()).add(email)
            if "phone" in keys:
                phone_sql = f"SELECT contact_id, e164 FROM {t['phone']} WHERE {where}"
                for contact_id, e164 in _fetch(phone_sql, params):
                    details["phone"].setdefault(contact_id, set()).add(e164)
        return details

    def _load_tags(self, ids: list[int]) -> None:
        if not ids:
            return
        tags: dict[int, list[int]] = {pk: [] for pk in ids}
        links = Contact.tags.through._meta.db_table
        where, params = _in("contact_id", ids)
        for contact_id, tag_id in _fetch(
            f"SELECT contact_id, tag_id FROM {links} WHERE {where}", params
        ):
            tags[contact_id].append(tag_id)
        self.tag_ids |= {pk: sorted(found) for pk, found in tags.items()}

    def add(self, pk: int, contact: Contact, details: tuple) -> dict[str, set[str]]:
        """A contact built but not inserted yet (contacts.services.build_contacts), under a
        provisional id; returns the keys it will be found by."""
        emails, phones, addresses, _tags = details
        self.rows[pk] = tuple(pk if name == "id" else getattr(contact, name) for name in FIELDS)
        self.found[pk] = self._found(self.rows[pk])
        if emails:
            self.with_email.add(pk)
        if any(phone.e164 for phone in phones or ()):
            self.with_phone.add(pk)
        addresses = addresses or []
        if addresses:
            self.places[pk] = sorted(
                {(a.line1 or "", a.postcode_key or "", fold_town(a.city or "")) for a in addresses}
            )
        return {
            "name": {contact.name_key},
            "surname": {contact.surname_key},
            "email": {e.email_normalized for e in emails or ()},
            "phone": {p.e164 for p in phones or ()},
            "postcode": {a.postcode_key for a in addresses},
            "street": {a.street_key for a in addresses},
        }

    def rename(self, old: int, new: int) -> None:
        row = self.rows.pop(old)
        self.rows[new] = (new, *row[1:])
        self.found.pop(old)
        self.found[new] = self._found(self.rows[new])
        if old in self.places:
            self.places[new] = self.places.pop(old)
        for flags in (self.with_email, self.with_phone):
            if old in flags:
                flags.discard(old)
                flags.add(new)

    def _found(self, row: tuple[Any, ...]) -> Found:
        return Found(row[0], row[self.first], row[self.last], row[self.name_key])

    def keys_of(self, pk: int) -> dict[str, set[str]]:
        """The name keys a contact is found by, as its row says."""
        row = self.rows.get(pk)
        if row is None:
            return {"name": set(), "surname": set()}
        return {"name": {row[self.name_key]}, "surname": {row[self.surname_key]}}

    def hits(self, probe: Probe, found: dict[str, set[int]]) -> Hits:
        """One order's Hits, as matching_lookup._read_hits would read them."""
        hits = Hits(fields=FIELDS)
        ids = set().union(*found.values())
        rows, places, found_rows = self.rows, self.places, self.found
        hits.contacts = {pk: found_rows[pk] for pk in ids}
        # The group's rows and addresses themselves, not copies for this order (a copy
        # per order was ~7 % of an import's time): read by the pk of a candidate.
        hits.rows, hits.addresses = rows, places
        if probe.email:
            hits.with_email = ids & self.with_email
        if probe.e164:
            hits.with_phone = ids & self.with_phone
        hits.email, hits.phone = found.get("email", set()), found.get("phone", set())
        hits.postcode = found.get("postcode", set())
        hits.capped = [label for label, ids in found.items() if len(ids) >= _cap(label)]
        return hits


class Lookups:
    """The look-ups of a group of orders, made together; `hits` answers each order as
    matching_lookup.collect would, `refresh` takes in what the caller wrote since."""

    def __init__(self, studio: Studio, probes: Sequence[Probe]) -> None:
        t = _tables()
        wanted: dict[str, set[str]] = {label: set() for label in _LABELS}
        for probe in probes:
            if probe.is_empty or probe.has_gallery:
                continue
            for label in _LABELS:
                wanted[label].update(_values(label, probe))
        self.by_value: dict[str, dict[str, list[int]]] = {
            label: _look_up(studio.pk, label, values, t) if values else {}
            for label, values in wanted.items()
        }
        self.unknown: set[tuple[str, str]] = set()
        # The ids add_built gave and settle has not replaced yet, and the (label, value)
        # lists they entered.
        self.provisional: set[int] = set()
        self.holding: set[tuple[str, str]] = set()
        self.contacts = _Contacts(t)
        ids = {pk for lists in self.by_value.values() for found in lists.values() for pk in found}
        # Tags are wanted only for the undo record of a merge that adds nothing, mostly by
        # an email or a phone the contact has (engine.adds_nothing; the others read them).
        by_detail = (self.by_value["email"], self.by_value["phone"])
        tags_of = {pk for lists in by_detail for found in lists.values() for pk in found}
        self.contacts.load(ids, tags_of=tags_of, first=True)

    def hits(self, probe: Probe) -> Hits | None:
        """The probe's Hits, equal to collect's; None when collect must answer (a gallery,
        a key value this group did not look up, or one whose list is no longer known)."""
        if probe.has_gallery:
            return None
        found: dict[str, set[int]] = {}
        for label in _LABELS:
            values = _values(label, probe)
            if not values:
                continue
            lists = self.by_value[label]
            ids: set[int] = set()
            for value in values:
                if value not in lists or (label, value) in self.unknown:
                    return None
                ids.update(lists[value])
            if ids:
                cap = _cap(label)
                found[label] = set(sorted(ids)[:cap]) if len(ids) > cap else ids
        return self.contacts.hits(probe, found)

    def tag_ids(self, pk: int) -> list[int] | None:
        """The contact's tag ids as they are now, if this group read them (None: ask)."""
        return self.contacts.tag_ids.get(pk)

    def add_built(self, pk: int, contact: Contact, details: tuple) -> None:
        """A contact the caller will insert later (contacts.services.build_contacts), as
        a candidate now, under a provisional id `pk` higher than any real id (and than
        the earlier ones'): the order the cap and the ranking see is the order the real
        ids will have. `settle` gives the real ids once inserted."""
        self.provisional.add(pk)
        for label, values in self.contacts.add(pk, contact, details).items():
            lists = self.by_value[label]
            for value in values:
                if value in lists:
                    self._enter(label, value, pk)
                    self.holding.add((label, value))

    def settle(self, real: dict[int, int]) -> None:
        """The provisional ids given by add_built → the ids the contacts got."""
        # Only the lists a built contact entered can hold a provisional id (an import
        # settles hundreds of times per group: walking every list each time was ~2 %).
        self.provisional -= real.keys()
        for label, value in self.holding:
            found = self.by_value[label][value]
            if found and found[-1] in real:  # provisional ids are the highest
                found[:] = sorted(real.get(pk, pk) for pk in found)
        self.holding = {
            (label, value)
            for label, value in self.holding
            if not self.provisional.isdisjoint(self.by_value[label][value])
        }
        for old, new in real.items():
            self.contacts.rename(old, new)

    def refresh(self, ids: Iterable[int], *, added: Iterable[str] = ("email", "phone")) -> None:
        """Read these contacts again (changed since the look-ups) and file them under the
        key values they now have. `added`: the details that may have been added to them
        among emails and phones (their addresses and names are always read again)."""
        ids = set(ids)
        if not ids:
            return
        before = {pk: self.contacts.keys_of(pk) for pk in ids}
        details = self.contacts.load(ids, keys=added)
        for pk in ids:
            now = self.contacts.keys_of(pk)
            now |= {label: details[label].get(pk, set()) for label in details}
            for label in _LABELS:
                lists = self.by_value[label]
                for value in before[pk].get(label, set()) - now[label]:
                    self._leave(label, value, pk)
                for value in now[label]:
                    if value in lists:
                        self._enter(label, value, pk)

    def _enter(self, label: str, value: str, pk: int) -> None:
        found = self.by_value[label][value]
        if pk in found:
            return
        cap = _cap(label)
        if len(found) >= cap and pk > found[-1]:
            return  # past the cap: the look-up would not keep it
        insort(found, pk)
        del found[cap:]

    def _leave(self, label: str, value: str, pk: int) -> None:
        found = self.by_value[label].get(value)
        if found is None or pk not in found:
            return
        if len(found) >= _cap(label):
            self.unknown.add((label, value))  # the contact past the cap would come in
        found.remove(pk)


def collect_many(studio: Studio, probes: Sequence[Probe]) -> list[Hits | None]:
    """Each probe's Hits (equal to matching_lookup.collect's), or None for a probe that
    collect must answer itself (a gallery)."""
    lookups = Lookups(studio, probes)
    return [lookups.hits(probe) for probe in probes]
