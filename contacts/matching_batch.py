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

from django.db import connection

from accounts.models import Studio
from contacts.matching_lookup import Hits, Probe, _cap, _tables
from contacts.matching_rows import CandidateRows, fetch, in_values, slices, text_array
from contacts.models import Contact

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


def _look_up(studio_id: int, label: str, values: set[str], t: dict[str, str]) -> dict[str, list]:
    """value → the ids of the contacts its look-up keeps (the cap's lowest), ascending."""
    _label, table, column, id_column = next(k for k in _KINDS if k[0] == label)
    found: dict[str, list[int]] = {value: [] for value in values}
    # One row per contact (a contact may have two addresses in one postcode).
    distinct = "DISTINCT " if id_column != "id" else ""
    if connection.vendor == "postgresql":
        # Each value's lowest ids straight from its index (a LATERAL ... LIMIT per value):
        # a window numbers every contact of a common value (2,581 for one surname) to
        # keep 50; this reads ~30 % less on an import's 10k rows.
        array, params = text_array(sorted(values))
        sql = (
            f"SELECT v.k, c.cid FROM unnest({array}) AS v(k) CROSS JOIN LATERAL "
            f"(SELECT {distinct}{id_column} AS cid FROM {t[table]} WHERE studio_id = %s "
            f"AND {column} = v.k ORDER BY {id_column} LIMIT %s) c"
        )
        rows = fetch(sql, [*params, studio_id, _cap(label)])
    else:
        rows = _windowed(studio_id, values, t[table], column, id_column, _cap(label))
    for value, contact_id in rows:
        found[value].append(contact_id)
    for ids in found.values():
        ids.sort()
    return found


def _windowed(
    studio_id: int, values: set[str], table: str, column: str, id_column: str, cap: int
) -> list[tuple[str, int]]:
    """(value, id) of each value's `cap` lowest ids, numbered by a window."""
    distinct = "DISTINCT " if id_column != "id" else ""
    rows: list[tuple[str, int]] = []
    for part in slices(sorted(values)):
        where, params = in_values(column, part)
        sql = (
            f"SELECT k, cid FROM (SELECT k, cid, ROW_NUMBER() OVER "
            f"(PARTITION BY k ORDER BY cid) AS rn FROM (SELECT {distinct}{column} AS k, "
            f"{id_column} AS cid FROM {table} WHERE studio_id = %s "
            f"AND {where}) d) x WHERE rn <= %s"
        )
        rows += fetch(sql, [studio_id, *params, cap])
    return rows


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
        # What this process changed that a process scoring ahead from `mark` cannot know
        # (transfers.scoring_ahead): the (label, value) lists changed by reading written
        # contacts again (refresh), and those contacts; settle's renames only change ids.
        self.tainted_values: set[tuple[str, str]] = set()
        self.tainted_contacts: set[int] = set()
        self.real_ids: dict[int, int] = {}  # provisional → real, since mark
        self._tainting = False
        self.contacts = CandidateRows(t)
        ids = {pk for lists in self.by_value.values() for found in lists.values() for pk in found}
        # Tags are wanted only for the undo record of a merge that adds nothing, mostly by
        # an email or a phone the contact has (transfers.merging.adds_nothing; the others
        # read them).
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

    def mark(self) -> None:
        """From now on, `unchanged` tells which orders' Hits a copy of these look-ups
        made now, then given the same contacts built (add_built), still gives."""
        self.tainted_values, self.tainted_contacts, self.real_ids = set(), set(), {}

    def taint(self, values: Iterable[tuple[str, str]], contacts: Iterable[int]) -> None:
        """Lists and contacts the copy made at `mark` no longer knows as they are."""
        self.tainted_values.update(values)
        self.tainted_contacts.update(contacts)

    def unchanged(self, probe: Probe, ids: Iterable[int]) -> bool:
        """Whether the probe's Hits are those the copy gave when its candidates were `ids`
        (their ids then): none of its key values' lists and none of those contacts is
        tainted (so the same candidates, shared counts and caps, the same rows)."""
        tainted, real = self.tainted_contacts, self.real_ids
        if tainted and any(pk in tainted or real.get(pk, pk) in tainted for pk in ids):
            return False
        if changed := self.tainted_values:
            for label in _LABELS:
                for value in _values(label, probe):
                    if (label, value) in changed:
                        return False
        return True

    def found_by(self, probe: Probe) -> Hits:
        """The part of the probe's Hits that says which contacts its email and its phone
        found (Hits.email, Hits.phone: all an import's merge asks of them), for a probe
        whose lists `hits` can answer."""
        lists = self.by_value
        email = set(lists["email"].get(probe.email, ())) if probe.email else set()
        phone = set(lists["phone"].get(probe.e164, ())) if probe.e164 else set()
        return Hits(email=email, phone=phone)

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
        self.real_ids |= real

    def refresh(self, ids: Iterable[int], *, added: Iterable[str] = ("email", "phone")) -> None:
        """Read these contacts again (changed since the look-ups) and file them under the
        key values they now have. `added`: the details that may have been added to them
        among emails and phones (their addresses and names are always read again)."""
        ids = set(ids)
        if not ids:
            return
        self.tainted_contacts |= ids
        before = {pk: self.contacts.keys_of(pk) for pk in ids}
        details = self.contacts.load(ids, keys=added)
        self._tainting = True
        try:
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
        finally:
            self._tainting = False

    def phones_added(self, pk: int, numbers: Iterable[str]) -> None:
        """refresh([pk], added=["phone"]) without reading: the caller added phones to the
        contact and changed nothing else; `numbers` (E.164) include every one added."""
        if pk not in self.contacts.rows:
            self.refresh([pk], added=["phone"])  # not read by this group: read it now
            return
        self.tainted_contacts.add(pk)
        numbers = [n for n in numbers if n]
        if numbers:
            self.contacts.with_phone.add(pk)
        lists = self.by_value["phone"]
        self._tainting = True
        try:
            for number in numbers:
                if number in lists:
                    self._enter("phone", number, pk)
        finally:
            self._tainting = False

    def _enter(self, label: str, value: str, pk: int) -> None:
        found = self.by_value[label][value]
        if pk in found:
            return
        cap = _cap(label)
        if len(found) >= cap and pk > found[-1]:
            return  # past the cap: the look-up would not keep it
        insort(found, pk)
        del found[cap:]
        if self._tainting:
            self.tainted_values.add((label, value))

    def _leave(self, label: str, value: str, pk: int) -> None:
        found = self.by_value[label].get(value)
        if found is None or pk not in found:
            return
        if len(found) >= _cap(label):
            self.unknown.add((label, value))  # the contact past the cap would come in
        found.remove(pk)
        if self._tainting:
            self.tainted_values.add((label, value))


def collect_many(studio: Studio, probes: Sequence[Probe]) -> list[Hits | None]:
    """Each probe's Hits (equal to matching_lookup.collect's), or None for a probe that
    collect must answer itself (a gallery)."""
    lookups = Lookups(studio, probes)
    return [lookups.hits(probe) for probe in probes]
