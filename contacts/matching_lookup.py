"""Candidate generation for contacts.matching: indexed look-ups only, each one capped.

The order's details are normalized the way contacts.keys normalized the stored ones
(the Probe); each key is then one equality / IN look-up on an indexed column (name_key,
surname_key, email_normalized, e164, postcode_key, street_key, the shoot's gallery),
scoped by studio and limited to the CANDIDATES_PER_KEY contacts with the lowest ids.
The cap is ordered so that it is deterministic: the same order always meets the same
candidates, and contacts.matching_batch, which looks up a whole import group at once,
can tell exactly which contacts a capped look-up keeps (an unordered LIMIT keeps
whichever rows the database meets first, which no other query can reproduce). The sort
is over the rows one key's values find, from the key's index, not over the table. The
look-ups go to the database as one statement (UNION ALL of the limited look-ups, joined
to the contacts found and their addresses, with whether each has an email and a phone
at all, so that a detail that disagrees can be told from one that is missing): one
round trip instead of seven, which is most of the cost of a match. No look-up reads the
contacts table beyond these keys. Table names come from the models; the shoots' through
the reverse relation (shoot_links), so contacts does not import the shoots app, which
is downstream of it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection

from accounts.models import Studio
from contacts import keys
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
from contacts.nicknames import name_variants
from contacts.similarity import Name, fold_address, fold_town, house_numbers, parse_name

if TYPE_CHECKING:
    from contacts.matching import MatchInput

CANDIDATES_PER_KEY = 200
# A name shared by hundreds of contacts cannot pick one of them anyway (name alone is
# never certain, and the other keys find the right one by its email, phone or home);
# the surname's sound + initial, there to catch typos, finds even more of them.
CANDIDATES_PER_NAME = 50
CANDIDATES_PER_SURNAME = 50


@dataclass(frozen=True)
class Probe:
    """The order's details, normalized like the stored keys."""

    name: Name
    swapped_name: Name | None
    exact_name_key: str
    email: str
    e164: str
    postcode: str
    street: str
    address_line1: str  # folded (contacts.similarity.fold_address)
    address_numbers: tuple[str, ...]
    town: str  # folded (contacts.similarity.fold_town)
    name_keys: frozenset[str]
    surname_keys: frozenset[str]
    gallery_provider: str
    gallery_id: str
    gallery_urls: tuple[str, ...]

    @property
    def has_gallery(self) -> bool:
        return bool((self.gallery_provider and self.gallery_id) or self.gallery_urls)

    @property
    def is_empty(self) -> bool:
        return not (
            self.email or self.e164 or self.name_keys or self.surname_keys or self.has_gallery
        )


class Found(NamedTuple):
    """The little of a found contact that scoring reads (a model instance is built only
    for the candidates shown: Hits.contact)."""

    pk: int
    first_name: str
    last_name: str
    name_key: str


@dataclass
class Hits:
    """What the look-ups found: the contacts, and which key found each one."""

    contacts: dict[int, Found] = field(default_factory=dict)
    # Whole contact rows, and (below) addresses, by contact id: of these contacts at least
    # (contacts.matching_batch gives its group's, shared by its orders): read by pk.
    rows: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    email: set[int] = field(default_factory=set)
    phone: set[int] = field(default_factory=set)
    postcode: set[int] = field(default_factory=set)
    # The contacts that have any email / any readable phone: for them, an order's email
    # or phone that is not theirs disagrees; for the others it is only missing.
    with_email: set[int] = field(default_factory=set)
    with_phone: set[int] = field(default_factory=set)
    # contact id → (role on the gallery's shoot, whether the shoot has other people)
    gallery: dict[int, tuple[str, bool]] = field(default_factory=dict)
    # contact id → [(street line as stored, postcode key, folded town)]
    addresses: dict[int, list[tuple[str, str, str]]] = field(default_factory=dict)
    capped: list[str] = field(default_factory=list)
    # The fields `rows` hold (None: every concrete field). contacts.matching_batch reads
    # only those the matcher and an import use; the others load if ever asked for.
    fields: tuple[str, ...] | None = None

    def contact(self, pk: int) -> Contact:
        names = self.fields or [f.attname for f in Contact._meta.concrete_fields]
        return Contact.from_db(connection.alias, names, self.rows[pk])


def _email(raw: str) -> str:
    if not (raw or "").strip():
        return ""
    try:
        return keys.normalize_email(raw)
    except ValueError:
        return ""


def _phone(raw: str, region: str) -> str:
    with contextlib.suppress(ValueError):
        return keys.phone_to_e164(raw, region) if (raw or "").strip() else ""
    return ""


def _name_keys(first: str, last: str, name: Name) -> tuple[set[str], set[str]]:
    """name_key and surname_key values of the name as given, as parsed (titles dropped,
    a whole name in one field split), with each nickname, and swapped."""
    spellings = {(first, last), (" ".join(name.first_words), " ".join(name.last_words))}
    if name.first_words and name.last_words:
        spellings.add((" ".join(name.last_words), " ".join(name.first_words)))
    # Nicknames widen the exact name look-up only (Bob Smith → robert smith); the surname
    # look-up keeps the initials given, or "J. Smith" would bring every D. and G. Smith
    # (Diego, Giacomo) too.
    surname_keys = {keys.surname_key(f, s) for f, s in spellings}
    for variant in name_variants(name.first):
        spellings.add((variant, " ".join(name.last_words) or last))
    name_keys = {keys.name_key(f, s) for f, s in spellings}
    if not name.first and name.last_words:
        # No first name: the surname's sound with any initial (27 equality look-ups
        # instead of a prefix search, which SQLite would not answer from the index).
        sound = keys.surname_key("", " ".join(name.last_words))
        surname_keys |= {sound + initial for initial in ascii_lowercase}
    return {k for k in name_keys if k}, {k for k in surname_keys if k}


def _url_forms(url: str) -> tuple[str, ...]:
    url = (url or "").strip()
    if not url:
        return ()
    bare = url.rstrip("/")
    return tuple(sorted({url, bare, bare + "/"}))


def make_probe(data: MatchInput, studio: Studio) -> Probe:
    name = parse_name(data.first_name, data.last_name)
    name_keys, surname_keys = _name_keys(data.first_name, data.last_name, name)
    swapped = None
    if name.first_words and name.last_words:
        swapped = Name(first_words=name.last_words, last_words=name.first_words)
    return Probe(
        name=name,
        swapped_name=swapped,
        exact_name_key=keys.name_key(data.first_name, data.last_name),
        email=_email(data.email),
        e164=_phone(data.phone, studio.country),
        postcode=keys.postcode_key(data.postcode),
        street=keys.street_key(data.address_line1),
        address_line1=fold_address(data.address_line1),
        address_numbers=house_numbers(fold_address(data.address_line1)),
        town=fold_town(data.town),
        name_keys=frozenset(name_keys),
        surname_keys=frozenset(surname_keys),
        gallery_provider=(data.gallery_provider or "").strip(),
        gallery_id=(data.gallery_id or "").strip(),
        gallery_urls=_url_forms(data.gallery_url),
    )


# Each branch: (label, SQL selecting contact_id, role, shoot_id, parameters).
Branch = tuple[str, str, list[Any]]
_CAPS = {"name": CANDIDATES_PER_NAME, "surname": CANDIDATES_PER_SURNAME}


def _tables() -> dict[str, str]:
    """Table names, read from the models; shoots' tables through the reverse relation so
    contacts does not import the shoots app."""
    link = Contact._meta.get_field("shoot_links").related_model
    shoot = link._meta.get_field("shoot").related_model
    return {
        "contact": Contact._meta.db_table,
        "email": ContactEmail._meta.db_table,
        "phone": ContactPhone._meta.db_table,
        "address": ContactAddress._meta.db_table,
        "link": link._meta.db_table,
        "shoot": shoot._meta.db_table,
    }


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _branches(studio_id: int, probe: Probe, t: dict[str, str]) -> list[Branch]:
    """One indexed look-up per key the probe has."""
    # Typed NULLs: PostgreSQL matches the columns of a UNION by type.
    plain = "CAST(NULL AS varchar(20)) AS role, CAST(NULL AS bigint) AS shoot_id"
    branches: list[Branch] = []
    for label, column, values in (
        ("name", "name_key", sorted(probe.name_keys)),
        ("surname", "surname_key", sorted(probe.surname_keys)),
    ):
        if values:
            sql = (
                f"SELECT id AS contact_id, {plain} FROM {t['contact']} "
                f"WHERE studio_id = %s AND {column} IN ({_marks(values)}) ORDER BY id"
            )
            branches.append((label, sql, [studio_id, *values]))
    for label, table, column, value in (
        ("email", t["email"], "email_normalized", probe.email),
        ("phone", t["phone"], "e164", probe.e164),
        ("postcode", t["address"], "postcode_key", probe.postcode),
        ("street", t["address"], "street_key", probe.street),
    ):
        if value:
            # DISTINCT: the cap counts contacts (one may have two addresses in a postcode).
            sql = (
                f"SELECT DISTINCT contact_id, {plain} FROM {table} "
                f"WHERE studio_id = %s AND {column} = %s ORDER BY contact_id"
            )
            branches.append((label, sql, [studio_id, value]))
    if probe.gallery_provider and probe.gallery_id:
        branches.append(
            _gallery_branch(
                studio_id,
                t,
                "s.gallery_provider = %s AND s.gallery_id = %s",
                [probe.gallery_provider, probe.gallery_id],
            )
        )
    return branches


def _gallery_branch(studio_id: int, t: dict[str, str], condition: str, values: list[Any]) -> Branch:
    sql = (
        f"SELECT l.contact_id, l.role, l.shoot_id FROM {t['link']} l "
        f"JOIN {t['shoot']} s ON s.id = l.shoot_id "
        f"WHERE l.studio_id = %s AND s.studio_id = %s AND {condition} "
        "ORDER BY l.contact_id, l.shoot_id"
    )
    return ("gallery", sql, [studio_id, studio_id, *values])


def _cap(label: str) -> int:
    return _CAPS.get(label, CANDIDATES_PER_KEY)


def _has(t: dict[str, str], detail: str, wanted: bool) -> str:
    """Whether the contact has an email / a readable phone: an EXISTS on the detail's
    contact_id index, once per contact found; a constant when the order has none (then
    nothing can disagree with it)."""
    if not wanted:
        return "0"
    readable = " AND d.e164 <> ''" if detail == "phone" else ""
    return f"EXISTS (SELECT 1 FROM {t[detail]} d WHERE d.contact_id = f.contact_id{readable})"


def _run(branches: list[Branch], t: dict[str, str], probe: Probe) -> list[tuple[Any, ...]]:
    """All look-ups and the found contacts with their addresses, in one round trip: each
    look-up limited on its own (a sub-select, which SQLite needs for LIMIT in a UNION),
    then joined to the contact and its addresses (one row per look-up × address), and
    whether the contact has an email / a phone."""
    union = " UNION ALL ".join(
        f"SELECT %s AS via, b{n}.* FROM ({sql} LIMIT {_cap(label)}) b{n}"
        for n, (label, sql, _values) in enumerate(branches)
    )
    params: list[Any] = []
    for label, _sql, values in branches:
        params += [label, *values]
    columns = ", ".join(f"c.{f.column}" for f in Contact._meta.concrete_fields)
    has_email, has_phone = _has(t, "email", bool(probe.email)), _has(t, "phone", bool(probe.e164))
    sql = (
        f"WITH hits AS ({union}), "
        f"flags AS (SELECT f.contact_id, {has_email} AS has_email, {has_phone} AS has_phone "
        f"FROM (SELECT DISTINCT contact_id FROM hits) f) "
        f"SELECT hits.via, hits.role, hits.shoot_id, a.line1, a.postcode_key, a.city, "
        f"flags.has_email, flags.has_phone, {columns} "
        f"FROM hits JOIN flags ON flags.contact_id = hits.contact_id "
        f"JOIN {t['contact']} c ON c.id = hits.contact_id "
        f"LEFT JOIN {t['address']} a ON a.contact_id = c.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def collect(studio: Studio, probe: Probe) -> Hits:
    """Every contact one of the probe's keys finds (at most CANDIDATES_PER_KEY per key),
    with its addresses: one query (two when the gallery is found only by its URL)."""
    t = _tables()
    branches = _branches(studio.pk, probe, t)
    rows = _run(branches, t, probe) if branches else []
    if probe.gallery_urls and not any(row[0] == "gallery" for row in rows):
        by_url = f"s.gallery_url IN ({_marks(probe.gallery_urls)})"
        branch = _gallery_branch(studio.pk, t, by_url, list(probe.gallery_urls))
        rows += _run([branch], t, probe)
    return _read_hits(rows)


def _read_hits(rows: list[tuple[Any, ...]]) -> Hits:
    hits = Hits()
    first, last, name_key = (
        [f.attname for f in Contact._meta.concrete_fields].index(name)
        for name in ("first_name", "last_name", "name_key")
    )
    found: dict[str, set[int]] = {}
    per_shoot: dict[int, set[int]] = {}
    places: dict[int, set[tuple[str, str, str]]] = {}
    for via, role, shoot_id, line1, postcode, city, has_email, has_phone, *values in rows:
        contact_id = values[0]
        if contact_id not in hits.rows:
            hits.rows[contact_id] = tuple(values)
            hits.contacts[contact_id] = Found(
                contact_id, values[first], values[last], values[name_key]
            )
            if has_email:
                hits.with_email.add(contact_id)
            if has_phone:
                hits.with_phone.add(contact_id)
        found.setdefault(via, set()).add(contact_id)
        if via == "gallery":
            per_shoot.setdefault(shoot_id, set()).add(contact_id)
            hits.gallery.setdefault(contact_id, (role, shoot_id))
        if line1 is not None or postcode is not None or city is not None:
            place = (line1 or "", postcode or "", fold_town(city or ""))
            places.setdefault(contact_id, set()).add(place)
    hits.email, hits.phone = found.get("email", set()), found.get("phone", set())
    hits.postcode = found.get("postcode", set())
    hits.capped = [via for via, ids in found.items() if len(ids) >= _cap(via)]
    hits.addresses = {contact_id: sorted(rows) for contact_id, rows in places.items()}
    hits.gallery = {
        contact_id: (role, len(per_shoot[shoot_id]) > 1)
        for contact_id, (role, shoot_id) in hits.gallery.items()
    }
    return hits
