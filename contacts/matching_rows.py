"""The rows an import group's look-ups read (contacts.matching_batch): the candidate
contacts' fields, addresses and whether they have an email / a phone, kept current while
the import writes, and the statements that read them (one array parameter on
PostgreSQL, IN lists elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection

from contacts.matching_lookup import Found, Hits, Probe, _cap, _marks
from contacts.models import Contact
from contacts.similarity import fold_town


class Home(NamedTuple):
    """What details.same_address compares of a stored address."""

    line1: str
    line2: str
    city: str
    region: str
    country: str
    postcode_key: str


IN_SIZE = 500  # values per IN list (SQLite's limit on parameters)
# The contact fields read for each candidate (Hits.fields, in the model's order, as
# Model.from_db wants them): all but the timestamps, the dearest to load, which no
# matcher or import reads (they load on their own if ever asked for).
FIELDS = tuple(
    f.attname for f in Contact._meta.concrete_fields if f.name not in ("created_at", "updated_at")
)


def slices(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    if connection.vendor == "postgresql":
        yield values  # one array parameter (_in): no limit, and a short statement
        return
    for start in range(0, len(values), IN_SIZE):
        yield values[start : start + IN_SIZE]


_SEPARATOR = "\x1f"  # in no key: contacts.keys splits on it (whitespace) or refuses it


def in_values(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column IN (...)`: on PostgreSQL `= ANY(...)` of one parameter, so that a statement
    of thousands of values is neither long to send nor slow to bind (the values go as
    one string: psycopg adapts a list of them one by one, in Python)."""
    if connection.vendor != "postgresql":
        return f"{column} IN ({_marks(values)})", list(values)
    if all(isinstance(v, int) for v in values):
        return f"{column} = ANY(CAST(%s AS bigint[]))", ["{" + ",".join(map(str, values)) + "}"]
    array, params = text_array(values)
    return f"{column} = ANY({array})", params


def text_array(values: list[str]) -> tuple[str, list[Any]]:
    """A PostgreSQL text array of these values, as SQL and its parameters (one string
    split by the server, unless a value holds the separator)."""
    if any(_SEPARATOR in v for v in values):
        return "CAST(%s AS text[])", [values]
    return "string_to_array(%s, %s)", [_SEPARATOR.join(values), _SEPARATOR]


def fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class CandidateRows:
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
        # Each contact's addresses as details.same_address compares them (an import's
        # merge asks whether the contact has the row's address: transfers.merging.adds_nothing).
        self.homes: dict[int, list[Home]] = {}
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
        for part in slices(sorted(ids)):
            if not first:
                for pk in part:
                    self.places.pop(pk, None)
                    self.with_email.discard(pk)
                    self.with_phone.discard(pk)
            where, params = in_values("c.id", part)
            sql = (
                f"SELECT {self.columns}, {has_email}, {has_phone} "
                f"FROM {t['contact']} c WHERE {where}"
            )
            fetched = fetch(sql, params)
            self.rows |= {row[0]: row[:width] for row in fetched}
            self.found |= {row[0]: self._found(row) for row in fetched}
            self.with_email.update(row[0] for row in fetched if row[width])
            self.with_phone.update(row[0] for row in fetched if row[width + 1])
            where, params = in_values("contact_id", part)
            places: dict[int, set[tuple[str, str, str]]] = {}
            address_sql = (
                f"SELECT contact_id, line1, postcode_key, city, street_key, line2, region, "
                f"country FROM {t['address']} WHERE {where}"
            )
            postcodes, streets = details["postcode"], details["street"]
            homes = self.homes
            homes |= {pk: [] for pk in part}
            for contact_id, line1, postcode, city, street, line2, region, country in fetch(
                address_sql, params
            ):
                if line1 is not None or postcode is not None or city is not None:
                    place = (line1 or "", postcode or "", fold_town(city or ""))
                    places.setdefault(contact_id, set()).add(place)
                homes[contact_id].append(
                    Home(
                        line1 or "",
                        line2 or "",
                        city or "",
                        region or "",
                        country or "",
                        postcode or "",
                    )
                )
                if not first:
                    postcodes.setdefault(contact_id, set()).add(postcode or "")
                    streets.setdefault(contact_id, set()).add(street or "")
            self.places |= {pk: sorted(found) for pk, found in places.items()}
            self._load_tags(part if tags_of is None else [pk for pk in part if pk in tags_of])
            if "email" in keys:
                email_sql = f"SELECT contact_id, email_normalized FROM {t['email']} WHERE {where}"
                for contact_id, email in fetch(email_sql, params):
                    details["email"].setdefault(contact_id, set()).add(email)
            if "phone" in keys:
                phone_sql = f"SELECT contact_id, e164 FROM {t['phone']} WHERE {where}"
                for contact_id, e164 in fetch(phone_sql, params):
                    details["phone"].setdefault(contact_id, set()).add(e164)
        return details

    def _load_tags(self, ids: list[int]) -> None:
        if not ids:
            return
        tags: dict[int, list[int]] = {pk: [] for pk in ids}
        links = Contact.tags.through._meta.db_table
        where, params = in_values("contact_id", ids)
        for contact_id, tag_id in fetch(
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
        self.homes[pk] = [
            Home(a.line1, a.line2, a.city, a.region, a.country, a.postcode_key) for a in addresses
        ]
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
        if old in self.homes:
            self.homes[new] = self.homes.pop(old)
        for flags in (self.with_email, self.with_phone):
            if old in flags:
                flags.discard(old)
                flags.add(new)

    def addresses_of(self, pk: int) -> list[Home] | None:
        """The contact's addresses as read (or built); None: not read here."""
        return self.homes.get(pk)

    def contact(self, pk: int) -> Contact:
        """The contact as read (as matching_lookup.Hits.contact builds it)."""
        return Contact.from_db(connection.alias, FIELDS, self.rows[pk])

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
