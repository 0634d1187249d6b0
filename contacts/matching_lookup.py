"""Candidate generation for contacts.matching: indexed look-ups only, each one capped.

The order's details are normalized the way contacts.keys normalized the stored ones
(the Probe), then each key is one equality / IN query on an indexed column, scoped by
studio and limited to CANDIDATES_PER_KEY rows, with the default ordering removed so the
database can stop at the limit. No query reads the contacts table beyond these keys.
The shoots are reached through the reverse relation (shoot_links), so contacts does not
import the shoots app, which is downstream of it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from string import ascii_lowercase
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from accounts.models import Studio
from contacts import keys
from contacts.models import Contact, ContactAddress
from contacts.nicknames import name_variants
from contacts.similarity import Name, fold_address, parse_name

if TYPE_CHECKING:
    from contacts.matching import MatchInput

CANDIDATES_PER_KEY = 200


@dataclass(frozen=True)
class Probe:
    """The order's details, normalized like the stored keys."""

    name: Name
    swapped_name: Name | None
    exact_name_key: str
    email: str
    e164: str
    postcode: str
    address_line1: str
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


@dataclass
class Hits:
    """What the look-ups found: the contacts, and which key found each one."""

    contacts: dict[int, Contact] = field(default_factory=dict)
    email: set[int] = field(default_factory=set)
    phone: set[int] = field(default_factory=set)
    postcode: set[int] = field(default_factory=set)
    # contact id → (role on the gallery's shoot, whether the shoot has other people)
    gallery: dict[int, tuple[str, bool]] = field(default_factory=dict)
    # contact id → [(folded street line, postcode key)]
    addresses: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    capped: list[str] = field(default_factory=list)


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
    for variant in name_variants(name.first):
        spellings.add((variant, " ".join(name.last_words) or last))
    if name.first_words and name.last_words:
        spellings.add((" ".join(name.last_words), " ".join(name.first_words)))
    name_keys = {keys.name_key(f, s) for f, s in spellings}
    surname_keys = {keys.surname_key(f, s) for f, s in spellings}
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
        address_line1=fold_address(data.address_line1),
        name_keys=frozenset(name_keys),
        surname_keys=frozenset(surname_keys),
        gallery_provider=(data.gallery_provider or "").strip(),
        gallery_id=(data.gallery_id or "").strip(),
        gallery_urls=_url_forms(data.gallery_url),
    )


def _take(hits: Hits, label: str, queryset: QuerySet[Contact]) -> list[Contact]:
    rows = list(queryset.order_by()[:CANDIDATES_PER_KEY])
    if len(rows) == CANDIDATES_PER_KEY:
        hits.capped.append(label)
    for contact in rows:
        hits.contacts.setdefault(contact.pk, contact)
    return rows


def collect(studio: Studio, probe: Probe) -> Hits:
    """Every contact one of the probe's keys finds (at most CANDIDATES_PER_KEY per key),
    with the addresses needed to compare them: at most seven indexed queries."""
    hits = Hits()
    contacts = Contact.objects.filter(studio=studio)
    if probe.name_keys:
        _take(hits, "name", contacts.filter(name_key__in=sorted(probe.name_keys)))
    if probe.surname_keys:
        _take(hits, "surname", contacts.filter(surname_key__in=sorted(probe.surname_keys)))
    if probe.email:
        by_email = contacts.filter(emails__studio=studio, emails__email_normalized=probe.email)
        hits.email = {c.pk for c in _take(hits, "email", by_email)}
    if probe.e164:
        by_phone = contacts.filter(phones__studio=studio, phones__e164=probe.e164)
        hits.phone = {c.pk for c in _take(hits, "phone", by_phone)}
    if probe.postcode:
        by_postcode = contacts.filter(
            addresses__studio=studio, addresses__postcode_key=probe.postcode
        )
        hits.postcode = {c.pk for c in _take(hits, "postcode", by_postcode)}
    if probe.has_gallery:
        _collect_gallery(hits, studio, probe)
    _collect_addresses(hits, studio)
    return hits


def _collect_gallery(hits: Hits, studio: Studio, probe: Probe) -> None:
    """The people of the shoot recording this gallery, with their role there. By provider
    + gallery id (indexed); by the gallery's URL only when the id finds no shoot."""
    rows: list[Contact] = []
    if probe.gallery_provider and probe.gallery_id:
        rows = _gallery_people(
            hits,
            studio,
            Q(
                shoot_links__shoot__gallery_provider=probe.gallery_provider,
                shoot_links__shoot__gallery_id=probe.gallery_id,
            ),
        )
    if not rows and probe.gallery_urls:
        rows = _gallery_people(
            hits, studio, Q(shoot_links__shoot__gallery_url__in=probe.gallery_urls)
        )
    per_shoot: dict[int, int] = {}
    for contact in rows:
        per_shoot[contact.gallery_shoot] = per_shoot.get(contact.gallery_shoot, 0) + 1
    for contact in rows:
        shared = per_shoot[contact.gallery_shoot] > 1
        hits.gallery.setdefault(contact.pk, (contact.gallery_role, shared))


def _gallery_people(hits: Hits, studio: Studio, condition: Q) -> list[Contact]:
    # One filter() call, so the annotation reads the same shoot link the condition matched.
    people = Contact.objects.filter(condition, studio=studio, shoot_links__studio=studio)
    return _take(
        hits,
        "gallery",
        people.annotate(
            gallery_role=F("shoot_links__role"), gallery_shoot=F("shoot_links__shoot_id")
        ),
    )


def _collect_addresses(hits: Hits, studio: Studio) -> None:
    if not hits.contacts:
        return
    rows = ContactAddress.objects.filter(studio=studio, contact_id__in=list(hits.contacts))
    for contact_id, line1, postcode in rows.order_by().values_list(
        "contact_id", "line1", "postcode_key"
    ):
        hits.addresses.setdefault(contact_id, []).append((fold_address(line1), postcode))
