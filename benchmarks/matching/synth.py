"""A synthetic studio's clients and the gallery orders they (and strangers) place.

Households share a surname, an address and often a landline; couples have a wedding
shoot with a Pic-Time gallery (sometimes only one partner is recorded on it); names
follow a Zipf law so "John Smith" exists many times; some names carry accents. Orders
come from known clients with typos, nicknames, accents dropped, changed emails and
married names, and from the traps: a relative sharing the family phone, a spouse or a
guest ordering from a wedding gallery, a new client with a common name, a stranger, a
namesake elsewhere (the same name and street line in another town, issue #9).

Each order carries its truth (the person's index, or None for someone not in the
contacts) and its scenario, so precision and recall can be counted per trap.
Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from common import Person
from pools import (
    DOMAINS,
    FEMALE,
    MALE,
    NICKNAMES,
    STREET_TYPES,
    STREETS,
    SURNAMES,
    SYLLABLES,
    TOWNS,
)
from unidecode import unidecode

from contacts.nicknames import are_variants


def zipf_choice(rng: random.Random, items: list[str], s: float = 1.05) -> str:
    weights = _weights(len(items), s)
    return rng.choices(items, cum_weights=weights)[0]


_WEIGHT_CACHE: dict[tuple[int, float], list[float]] = {}


def _weights(n: int, s: float) -> list[float]:
    key = (n, s)
    if key not in _WEIGHT_CACHE:
        total, cumulative = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / rank**s
            cumulative.append(total)
        _WEIGHT_CACHE[key] = cumulative
    return _WEIGHT_CACHE[key]


def town_of(postcode: str) -> str:
    """The town of a postcode's area (its outward code), always the same one."""
    outward = postcode.split()[0] if postcode else ""
    return TOWNS[sum(map(ord, outward)) % len(TOWNS)] if outward else ""


@dataclass
class Household:
    surname: str
    line1: str
    postcode: str
    landline: str | None
    members: list[int] = field(default_factory=list)  # indexes into people


@dataclass
class Order:
    first: str
    last: str
    email: str = ""
    phone: str = ""
    postcode: str = ""
    line1: str = ""
    town: str = ""
    gallery_id: str = ""
    truth: int | None = None  # index into people, None for someone not in the contacts
    scenario: str = ""

    def as_input(self):
        """What contacts.matching is given for this order."""
        from contacts.matching import MatchInput

        return MatchInput(
            first_name=self.first,
            last_name=self.last,
            email=self.email,
            phone=self.phone,
            postcode=self.postcode,
            address_line1=self.line1,
            town=self.town,
            gallery_provider="pictime" if self.gallery_id else "",
            gallery_id=self.gallery_id,
        )


class Generator:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)
        self.people: list[Person] = []
        self.households: list[Household] = []
        self.gallery_of: dict[str, list[tuple[int, str]]] = {}  # gallery id → (person, role)
        self.couples: list[tuple[int, int, str]] = []  # (a, b, gallery id)
        self._serial = 0
        self._formal: list[int] | None = None

    # --- population ----------------------------------------------------------------

    def surname(self) -> str:
        if self.rng.random() < 0.55:
            return zipf_choice(self.rng, SURNAMES)
        parts = self.rng.randint(2, 3)
        return "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    def first_name(self, female: bool) -> str:
        return zipf_choice(self.rng, FEMALE if female else MALE, 0.9)

    def postcode(self, pool: int) -> str:
        n = self.rng.randrange(pool)
        letters = "ABDEFGHJLNPRSTUWXYZ"
        area = letters[n % 19] + letters[(n // 19) % 19]
        return f"{area}{(n // 361) % 99 + 1} {(n // 35739) % 10}{letters[n % 17]}{letters[n % 13]}"

    def phone(self, mobile: bool = True) -> str:
        digits = "".join(self.rng.choice("0123456789") for _ in range(9 if mobile else 7))
        return f"+447{digits}" if mobile else f"+44161{digits}"

    def email(self, first: str, last: str) -> str:
        self._serial += 1
        local = unidecode(f"{first}.{last}").lower().replace(" ", "").replace("'", "")
        return f"{local}{self._serial}@{self.rng.choice(DOMAINS)}"

    def add_person(self, first: str, last: str, household: Household | None) -> int:
        has_email = self.rng.random() < 0.8
        has_mobile = self.rng.random() < 0.6
        person = Person(
            first=first,
            last=last,
            emails=[self.email(first, last)] if has_email else [],
            phones=[self.phone()] if has_mobile else [],
        )
        if household:
            person.line1, person.postcode = household.line1, household.postcode
            person.town = town_of(household.postcode)
            if household.landline and (not person.phones or self.rng.random() < 0.5):
                person.phones.append(household.landline)
            household.members.append(len(self.people))
        self.people.append(person)
        return len(self.people) - 1

    def population(self, size: int) -> list[Person]:
        """About `size` contacts in households of 1-4 (postcodes shared by ~15 people)."""
        pool = max(size // 15, 10)
        while len(self.people) < size:
            surname = self.surname()
            line1 = (
                f"{self.rng.randint(1, 250)} {self.rng.choice(STREETS)} "
                f"{self.rng.choice(STREET_TYPES)}"
            )
            landline = self.phone(mobile=False) if self.rng.random() < 0.4 else None
            home = Household(surname, line1, self.postcode(pool), landline)
            self.households.append(home)
            adults = self.rng.choice((1, 2, 2, 2))
            first_female = self.rng.random() < 0.5
            a = self.add_person(self.first_name(first_female), surname, home)
            if adults == 2:
                # One in four couples have kept different surnames.
                other = surname if self.rng.random() < 0.75 else self.surname()
                b = self.add_person(self.first_name(not first_female), other, home)
                if self.rng.random() < 0.3:
                    self._wedding(a, b)
            for _ in range(self.rng.choice((0, 0, 1, 2))):
                if len(self.people) < size:
                    self.add_person(self.first_name(self.rng.random() < 0.5), surname, home)
        return self.people

    def _wedding(self, a: int, b: int) -> None:
        gallery = f"g{len(self.gallery_of) + 1:07d}"
        on_shoot = [(a, "client"), (b, "partner")] if self.rng.random() < 0.6 else [(a, "client")]
        self.gallery_of[gallery] = on_shoot
        self.couples.append((a, b, gallery))

    # --- orders --------------------------------------------------------------------

    def typo(self, word: str) -> str:
        if len(word) < 4:
            return word
        at = self.rng.randrange(1, len(word) - 1)
        kind = self.rng.choice(("sub", "del", "ins", "swap"))
        letter = self.rng.choice("abcdefghijklmnopqrstuvwxyz")
        if kind == "sub":
            return word[:at] + letter + word[at + 1 :]
        if kind == "del":
            return word[:at] + word[at + 1 :]
        if kind == "ins":
            return word[:at] + letter + word[at:]
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]

    def _known(self, index: int, scenario: str, **changes) -> Order:
        p = self.people[index]
        order = Order(
            first=p.first,
            last=p.last,
            email=p.emails[0] if p.emails else "",
            phone=p.phones[0] if p.phones else "",
            postcode=p.postcode,
            line1=p.line1,
            town=p.town,
            truth=index,
            scenario=scenario,
        )
        for name, value in changes.items():
            setattr(order, name, value)
        return order

    def orders(self, count: int) -> list[Order]:
        scenarios = [
            (self.exact, 10),
            (self.typo_order, 10),
            (self.nickname_order, 8),
            (self.accents_order, 6),
            (self.changed_email, 10),
            (self.married_name, 6),
            (self.name_only, 6),
            (self.gallery_client, 8),
            (self.relative_sharing_phone, 9),
            (self.spouse_from_gallery, 7),
            (self.guest_from_gallery, 6),
            (self.common_name_stranger, 8),
            (self.stranger, 6),
            (self.namesake_elsewhere, 6),
        ]
        makers = [maker for maker, weight in scenarios for _ in range(weight)]
        return [self.rng.choice(makers)() for _ in range(count)]

    def someone(self) -> int:
        return self.rng.randrange(len(self.people))

    def exact(self) -> Order:
        return self._known(self.someone(), "known, details as stored")

    def typo_order(self) -> Order:
        i = self.someone()
        p = self.people[i]
        field_name = self.rng.choice(("first", "last"))
        changed = self.typo(getattr(p, field_name))
        return self._known(i, "known, typo in the name", **{field_name: changed})

    def nickname_order(self) -> Order:
        if self._formal is None:
            self._formal = [i for i, p in enumerate(self.people) if p.first in NICKNAMES]
        i = self.rng.choice(self._formal) if self._formal else self.someone()
        nick = self.rng.choice(NICKNAMES.get(self.people[i].first, [self.people[i].first]))
        return self._known(i, "known, nickname", first=nick, email="")

    def accents_order(self) -> Order:
        i = self.someone()
        p = self.people[i]
        return self._known(
            i,
            "known, accents/case changed",
            first=unidecode(p.first).upper(),
            last=unidecode(p.last).lower(),
        )

    def changed_email(self) -> Order:
        i = self.someone()
        p = self.people[i]
        return self._known(i, "known, new email", email=self.email(p.first, p.last))

    def married_name(self) -> Order:
        i = self.someone()
        keep_email = self.rng.random() < 0.5
        changes = {"last": self.surname()}
        if not keep_email:
            changes.update(email="", postcode="", line1="", town="")
        return self._known(i, "known, married name", **changes)

    def name_only(self) -> Order:
        i = self.someone()
        p = self.people[i]
        return self._known(
            i,
            "known, name + new email only",
            email=self.email(p.first, p.last),
            phone="",
            postcode="",
            line1="",
            town="",
        )

    def gallery_client(self) -> Order:
        gallery = self.rng.choice(list(self.gallery_of))
        index, _role = self.rng.choice(self.gallery_of[gallery])
        p = self.people[index]
        return self._known(
            index,
            "gallery: client on the shoot, new email",
            email=self.email(p.first, p.last),
            phone="",
            gallery_id=gallery,
        )

    def relative_sharing_phone(self) -> Order:
        homes = [h for h in self.households if h.landline]
        home = self.rng.choice(homes)
        first = self.first_name(self.rng.random() < 0.5)
        known = [self.people[m].first for m in home.members]
        # A family does not give two of its members one name (Steven and Stephen).
        while any(are_variants(first, name) or first == name for name in known):
            first = self.first_name(self.rng.random() < 0.5)
        return Order(
            first=first,
            last=home.surname,
            email=self.email(first, home.surname),
            phone=home.landline or "",
            postcode=home.postcode,
            line1=home.line1,
            town=town_of(home.postcode),
            truth=None,
            scenario="trap: new relative, family phone + address",
        )

    def spouse_from_gallery(self) -> Order:
        """The partner orders from the couple's gallery: they are in the contacts, but
        maybe not on the shoot; their truth is themselves, never the other partner."""
        _a, b, gallery = self.rng.choice(self.couples)
        p = self.people[b]
        return Order(
            first=p.first,
            last=p.last,
            email=self.email(p.first, p.last),
            gallery_id=gallery,
            truth=b,
            scenario="trap: partner orders from the couple's gallery",
        )

    def guest_from_gallery(self) -> Order:
        gallery = self.rng.choice(list(self.gallery_of))
        first, last = self.first_name(self.rng.random() < 0.5), self.surname()
        return Order(
            first=first,
            last=last,
            email=self.email(first, last),
            gallery_id=gallery,
            truth=None,
            scenario="trap: wedding guest orders from the gallery",
        )

    def common_name_stranger(self) -> Order:
        first, last = self.rng.choice(MALE[:5] + FEMALE[:5]), self.rng.choice(SURNAMES[:5])
        return Order(
            first=first,
            last=last,
            email=self.email(first, last),
            phone=self.phone(),
            truth=None,
            scenario="trap: new client with a common name",
        )

    def stranger(self) -> Order:
        first, last = self.first_name(self.rng.random() < 0.5), self.surname()
        postcode = self.postcode(1000)
        return Order(
            first=first,
            last=last,
            email=self.email(first, last),
            phone=self.phone(),
            postcode=postcode,
            town=town_of(postcode),
            truth=None,
            scenario="new client",
        )

    def namesake_elsewhere(self) -> Order:
        """Someone with a contact's name and street line (1 High Street is in every
        town), in another town, with an email and a phone of their own (issue #9)."""
        p = self.people[self.someone()]
        postcode = self.postcode(1000)
        while not p.postcode or town_of(postcode) == p.town:
            p = self.people[self.someone()]
        return Order(
            first=p.first,
            last=p.last,
            email=self.email(p.first, p.last),
            phone=self.phone(),
            postcode=postcode,
            line1=p.line1,
            town=town_of(postcode),
            truth=None,
            scenario="trap: namesake elsewhere, same street line",
        )
