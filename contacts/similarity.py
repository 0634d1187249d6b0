"""How alike two names or two addresses are, as named agreement levels. Pure functions.

contacts.matching turns these levels into a score and into certainty rules, so each
level here means one thing a person can check by eye:

first names  exact · nickname (Bob/Robert) · typo · initial (J./John) · similar ·
             missing · different
surnames     exact · typo · partial (Smith-Jones/Jones) · sound (Smith/Smyth) ·
             similar · missing · different
addresses    same · similar · different · missing
postcodes    same · typo (one slip: BA1 1AA / BA1 1AB) · different · missing
towns        same · different · missing

A "typo" is one edit (Damerau-Levenshtein) away, at least four letters long, with the
same first letter and the edit not in the last two letters (a swap of two letters not
touching the last one): Michael/Micheal is a typo,
but Daniel/Danielle, Francis/Frances, Paul/Paula, Kowalski/Kowalska are different
people, often of one family, and must never count as the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from nameparser import HumanName
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from contacts import keys
from contacts.nicknames import are_variants

STRONG_FIRST = frozenset({"exact", "nickname", "typo"})
STRONG_LAST = frozenset({"exact", "typo", "partial", "sound"})

_SUFFIXES = frozenset({"jr", "sr", "junior", "senior", "ii", "iii", "iv"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame"})
# Surname particles that say nothing on their own (van der Berg / Berg).
_PARTICLES = frozenset({"van", "der", "den", "de", "la", "le", "du", "da", "di", "del", "von"})
_WORD = re.compile(r"[a-z]+")
_NUMBER = re.compile(r"\d+")
SIMILAR_FIRST = 0.88
SIMILAR_LAST = 0.90
SAME_ADDRESS = 0.90
SIMILAR_ADDRESS = 0.75
SAME_TOWN = 0.90
# Surnames this short one letter apart are different names (Li / Liu, Lee / Le).
SHORT_SURNAME = 5


@dataclass(frozen=True)
class Name:
    """A person's name folded to lower-case ASCII words (accents and case ignored)."""

    first_words: tuple[str, ...]
    last_words: tuple[str, ...]
    suffixes: frozenset[str] = frozenset()

    @property
    def first(self) -> str:
        return self.first_words[0] if self.first_words else ""

    @property
    def last(self) -> str:
        return "".join(self.last_words)

    @property
    def full(self) -> str:
        return " ".join((*self.first_words, *self.last_words))


def _words(text: str) -> list[str]:
    return _WORD.findall(keys.name_key(text, ""))


@lru_cache(maxsize=1 << 17)
def parse_name(first: str, last: str) -> Name:
    """Both parts folded; a whole name typed as the first name is split (nameparser); titles
    (Mrs) dropped and suffixes (Jr, III) set apart."""
    first, last = (first or "").strip(), (last or "").strip()
    if first and not last and len(first.split()) > 1:
        parsed = HumanName(first)
        if parsed.first and parsed.last:
            first, last = f"{parsed.first} {parsed.middle}", f"{parsed.last} {parsed.suffix}"
    first_words = [w for w in _words(first) if w not in _TITLES]
    last_words = _words(last)
    suffixes = {w for w in (*first_words, *last_words) if w in _SUFFIXES}
    return Name(
        first_words=tuple(w for w in first_words if w not in _SUFFIXES),
        last_words=tuple(w for w in last_words if w not in _SUFFIXES),
        suffixes=frozenset(suffixes),
    )


def is_typo(a: str, b: str) -> bool:
    """One slip of the keyboard apart, away from the name's ending (see module doc)."""
    if min(len(a), len(b)) < 4 or a[0] != b[0] or DamerauLevenshtein.distance(a, b) != 1:
        return False
    longer = max(len(a), len(b))
    at = 0
    while at < min(len(a), len(b)) and a[at] == b[at]:
        at += 1
    swapped = len(a) == len(b) and at + 1 < len(a) and (a[at], a[at + 1]) == (b[at + 1], b[at])
    if swapped:  # two letters swapped: fine unless the very last one moved
        return at + 1 < longer - 1
    return at < longer - 2


# The comparisons depend only on the words compared, and a matcher compares the same
# few first names and surnames again and again (an import: thousands of rows, each with
# dozens of namesakes): they are cached by those words.
@lru_cache(maxsize=1 << 17)
def compare_first_words(a_words: tuple[str, ...], b_words: tuple[str, ...]) -> str:
    a_first, b_first = (a_words[0] if a_words else ""), (b_words[0] if b_words else "")
    if not a_first or not b_first:
        return "missing"
    if a_first == b_first:
        both_double = len(a_words) > 1 and len(b_words) > 1
        return "similar" if both_double and a_words != b_words else "exact"
    if len(a_first) == 1 or len(b_first) == 1:
        return "initial" if a_first[0] == b_first[0] else "different"
    if are_variants(a_first, b_first):
        return "nickname"
    if is_typo(a_first, b_first):
        return "typo"
    if JaroWinkler.similarity(a_first, b_first) >= SIMILAR_FIRST:
        return "similar"
    return "different"


def compare_first(a: Name, b: Name) -> str:
    return compare_first_words(a.first_words, b.first_words)


def compare_last(a: Name, b: Name) -> str:
    return compare_last_words(a.last_words, b.last_words)


@lru_cache(maxsize=1 << 17)
def compare_last_words(a_words: tuple[str, ...], b_words: tuple[str, ...]) -> str:
    a, b = Name((), a_words), Name((), b_words)
    x, y = a.last, b.last
    if not x or not y:
        return "missing"
    if x == y:
        return "exact"
    if is_typo(x, y):
        return "typo"
    if _shares_surname_word(a.last_words, b.last_words):
        return "partial"
    # Same sound and same ending: Smith/Smyth, but not Kowalski/Kowalska.
    if x[-1] == y[-1] and jellyfish.metaphone(x) == jellyfish.metaphone(y):
        return "sound"
    if JaroWinkler.similarity(x, y) >= SIMILAR_LAST:
        return "similar"
    return "different"


def _shares_surname_word(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) < 2 and len(b) < 2:
        return False
    meaningful = {w for w in a if w not in _PARTICLES and len(w) > 2}
    return bool(meaningful & set(b))


def name_similarity(a: Name, b: Name) -> float:
    """Jaro-Winkler of the whole folded names, 0..1 (for the human reason)."""
    return JaroWinkler.similarity(a.full, b.full)


def suffix_conflict(a: Name, b: Name) -> bool:
    """John Smith Jr is not John Smith Sr."""
    return bool(a.suffixes or b.suffixes) and a.suffixes != b.suffixes


# Street-type abbreviations spelled out, so "1 High St" and "1 High Street" compare equal.
_STREET_WORDS = {
    "st": "street",
    "rd": "road",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "ct": "court",
    "pl": "place",
    "cres": "crescent",
    "cr": "crescent",
    "sq": "square",
    "blvd": "boulevard",
    "hwy": "highway",
    "pde": "parade",
    "tce": "terrace",
    "cl": "close",
    "apt": "apartment",
}


@lru_cache(maxsize=1 << 16)
def house_numbers(line: str) -> tuple[str, ...]:
    """The numbers in a street line, leading zeros dropped ('Flat 2, 010 High St' → 2, 10)."""
    return tuple(n.lstrip("0") or "0" for n in _NUMBER.findall(line or ""))


@lru_cache(maxsize=8192)
def fold_address(line: str) -> str:
    """Lower-case ASCII words of a street line, punctuation dropped, abbreviations spelled
    out: '1, High St.' → '1 high street'."""
    words = re.findall(r"[a-z0-9]+", keys.name_key(line, ""))
    return " ".join(_STREET_WORDS.get(word, word) for word in words)


@lru_cache(maxsize=1 << 16)
def compare_address(a: str, b: str) -> tuple[str, float]:
    """Two folded street lines: same / similar / different / missing, and the similarity.
    Different house numbers are different addresses however alike the street."""
    if not a or not b:
        return "missing", 0.0
    numbers_a, numbers_b = house_numbers(a), house_numbers(b)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return "different", 0.0
    # Typos, words run together ("highstreet") and words in another order all count.
    similarity = (
        max(
            fuzz.ratio(a, b),
            fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
            fuzz.token_sort_ratio(a, b),
        )
        / 100
    )
    if similarity >= SAME_ADDRESS:
        return "same", similarity
    if similarity >= SIMILAR_ADDRESS:
        return "similar", similarity
    return "different", similarity


def compare_postcode(given: str, stored: list[str] | tuple[str, ...] | set[str]) -> str:
    """A postcode key against the contact's: same / typo (one slip from one of them) /
    different / missing."""
    known = [pc for pc in stored if pc]
    if not given or not known:
        return "missing"
    if given in known:
        return "same"
    if any(_one_slip(given, pc) for pc in known):
        return "typo"
    return "different"


@lru_cache(maxsize=1 << 16)
def _one_slip(a: str, b: str) -> bool:
    return DamerauLevenshtein.distance(a, b) == 1


@lru_cache(maxsize=8192)
def fold_town(town: str) -> str:
    """'St. Albans' → 'st albans': lower-case ASCII words, punctuation dropped."""
    return " ".join(re.findall(r"[a-z0-9]+", keys.name_key(town, "")))


def compare_town(given: str, stored: list[str] | tuple[str, ...] | set[str]) -> str:
    """A folded town against the contact's: same (one of them, typos allowed) / different /
    missing."""
    known = [town for town in stored if town]
    if not given or not known:
        return "missing"
    if any(same_town(given, town) for town in known):
        return "same"
    return "different"


@lru_cache(maxsize=1 << 16)
def same_town(given: str, town: str) -> bool:
    """Two folded towns are one (typos allowed)."""
    return fuzz.ratio(given, town) / 100 >= SAME_TOWN


def surnames_long_enough_to_be_alike(a: Name, b: Name) -> bool:
    """'Similar' surnames count as the same person's only when neither is short."""
    return min(len(a.last), len(b.last)) >= SHORT_SURNAME
