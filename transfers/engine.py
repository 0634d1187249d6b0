"""What one row does: a new contact (shoot, sale), or a merge into a contact that the
matcher says is CERTAINLY the same person (contacts.matching: never on a name alone).

The caller holds the transaction; the preview runs this same code inside a transaction
it rolls back, so preview and run decide alike. Rows of one file that are the same
person merge with each other: an earlier row's contact is in the database (or flushed
there, see Writer) before a later row that could find it is matched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Studio
from contacts import keys, matching_batch, matching_lookup
from contacts import services as contact_services
from contacts.matching import MATCH, NONE, MatchResult, find_matches, match_probe
from contacts.matching_lookup import Hits
from contacts.models import Contact
from core.clock import local_datetime, studio_zone
from sales import services as sale_services
from sales.models import Sale, SaleLine
from shoots import services as shoot_services
from transfers import merging, scoring_ahead
from transfers.merging import NEW, PROBLEM, Applied, adds_nothing, merge_into
from transfers.records import Record

FLUSH_AT = 500  # pending new contacts held at most (memory, and the size of one INSERT)
LIMIT = 3  # candidates a row's answer keeps (the best names the merge; the rest, doubts)


def apply_row(studio: Studio, kind: str, record: Record) -> Applied:
    """One row on its own (shoots, sales; contacts go through Writer)."""
    if record.problems:
        return Applied(PROBLEM, "; ".join(record.problems))
    if kind == "contacts":
        writer = Writer(studio)
        applied = writer.apply(record)
        writer.flush()
        return applied
    return _shoot_or_sale_row(studio, kind, record)


def stored_keys(contact: dict[str, Any], region: str) -> set[tuple[str, str]]:
    """The look-up keys a new contact will be stored with (contacts.keys)."""
    found = {
        ("n", keys.name_key(contact.get("first_name", ""), contact.get("last_name", ""))),
        ("s", keys.surname_key(contact.get("first_name", ""), contact.get("last_name", ""))),
    }
    for email in contact.get("emails", ()):
        with contextlib.suppress(ValueError):
            found.add(("e", keys.normalize_email(email)))
    for phone in contact.get("phones", ()):
        with contextlib.suppress(ValueError):
            found.add(("p", keys.phone_to_e164(phone, region)))
    for address in contact.get("addresses", ()):
        found.add(("z", keys.postcode_key(address.get("postcode", ""))))
        found.add(("t", keys.street_key(address.get("line1", ""))))
    return {key for key in found if key[1]}


def probe_keys(probe: matching_lookup.Probe) -> set[tuple[str, str]]:
    """The keys the matcher will look this row up by (contacts.matching_lookup)."""
    found = {("e", probe.email), ("p", probe.e164), ("z", probe.postcode), ("t", probe.street)}
    found |= {("n", key) for key in probe.name_keys} | {("s", key) for key in probe.surname_keys}
    return {key for key in found if key[1]}


PROVISIONAL = 1 << 62  # ids of contacts built but not inserted yet: above any real id


@dataclass
class _Pending:
    record: Record
    applied: Applied
    built: contact_services.Built
    provisional: int


class Writer:
    """Contacts rows in file order, with the new contacts inserted in bulk.

    A new contact is checked and built at once (contacts.services.build_contacts: a row
    the services refuse is a problem row) and waits in `pending` until FLUSH_AT of them
    wait, the chunk ends, or a later row's answer names it; then all pending contacts are
    inserted at once.

    The candidates of a group of rows are looked up together (prepare;
    contacts.matching_batch.Lookups), and kept current: a pending contact is a candidate
    there under a provisional id ordered as its real id will be, and what a merge writes
    is read again. So each row meets every earlier row's contact exactly as if every row
    had been written and looked up alone (transfers/tests/test_batch_equals_alone.py). A
    row the look-ups cannot answer is looked up alone, after the pending contacts it
    could find are inserted.
    """

    def __init__(self, studio: Studio, idle: Callable[[], bool] | None = None) -> None:
        """`idle`: other work to do while waiting for the process scoring ahead
        (transfers.scoring_ahead.Ahead)."""
        self.studio = studio
        self.idle = idle
        self.pending: list[_Pending] = []
        self.pending_keys: set[tuple[str, str]] = set()
        self.lookups: matching_batch.Lookups | None = None
        self.probes: dict[int, matching_lookup.Probe] = {}
        # Each row's place among the rows this writer met: its provisional id, the same
        # in the process scoring ahead (transfers.scoring_ahead).
        self.slots: dict[int, int] = {}
        self.ahead: scoring_ahead.Ahead | None = None
        self.answered_ahead = False

    def prepare(
        self, records: list[Record], probes: Mapping[int, matching_lookup.Probe] | None = None
    ) -> None:
        """Look up the candidates of all these rows at once (contacts.matching_batch);
        `probes`: rows' probes made already (transfers.reading_ahead), by line."""
        self.close()
        records = [r for r in records if not r.problems]
        for record in records:
            self._slot(record)
        made = probes or {}
        self.probes = {
            r.line: made.get(r.line) or matching_lookup.make_probe(r.match_input(), self.studio)
            for r in records
        }
        self.lookups = matching_batch.Lookups(self.studio, list(self.probes.values()))
        for waiting in self.pending:  # built by the previous group's rows
            self.lookups.add_built(waiting.provisional, *waiting.built)
        if len(records) > 1 and scoring_ahead.wanted(len(records)):
            foresee = {r.line: r for r in records}
            self.ahead = scoring_ahead.start(
                self.lookups,
                list(foresee),
                lambda line: self._foresee(foresee[line]),
                lambda line: self._diverged(foresee[line]),
                self.idle,
            )

    def close(self) -> None:
        """Stop scoring ahead (transfers.scoring_ahead), if it was."""
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None

    def _slot(self, record: Record) -> int:
        return self.slots.setdefault(record.line, len(self.slots))

    def _foresee(self, record: Record) -> scoring_ahead.Answer:
        """In the process scoring ahead: the row's answer from its copy of the look-ups,
        and its new contact built there as apply would (nothing written)."""
        probe = self.probes[record.line]
        hits = self.lookups.hits(probe) if self.lookups is not None else None
        if hits is None:
            return None, None, None
        result = match_probe(self.studio, probe, hits, limit=LIMIT, decisive=True)
        answer = scoring_ahead.pack(result)
        if result.outcome == MATCH and result.best is not None:
            return tuple(hits.contacts), answer, None
        built = self._build(record)
        if isinstance(built, ValidationError):
            return tuple(hits.contacts), answer, None
        return tuple(hits.contacts), answer, scoring_ahead.pack_built(built)

    def _diverged(self, record: Record) -> None:
        """The process scoring ahead built this row's contact and this one did not, or
        the reverse: the lists it entered there or here differ."""
        labels = {"n": "name", "s": "surname", "e": "email", "p": "phone"}
        labels |= {"z": "postcode", "t": "street"}
        values = [(labels[k], v) for k, v in stored_keys(record.contact, self.studio.country)]
        if self.lookups is not None:
            self.lookups.taint(values, [PROVISIONAL + self._slot(record)])

    def _hits(self, record: Record) -> tuple[matching_lookup.Probe, Hits | None]:
        """The row's probe and its candidates: from the group's look-ups when they can
        answer, else looked up alone (after inserting the pending contacts it could find)."""
        probe = self.probes.pop(record.line, None)
        if probe is not None and self.lookups is not None:
            hits = self.lookups.hits(probe)
            if hits is not None:
                return probe, hits
        probe = probe or matching_lookup.make_probe(record.match_input(), self.studio)
        if self.pending_keys & probe_keys(probe):
            self.flush()
        return probe, None if probe.is_empty else matching_lookup.collect(self.studio, probe)

    def _scored(self, record: Record) -> tuple[matching_lookup.Probe, Hits | None, MatchResult]:
        """The row's probe, Hits and answer. Hits are None when the answer was scored
        ahead (`self.answered_ahead`; ask the look-ups if they are needed)."""
        probe = self.probes.get(record.line)
        self.answered_ahead = False
        if probe is not None and self.ahead is not None:
            result = self.ahead.answer(record.line, probe)
            if result is not None:
                del self.probes[record.line]
                self.answered_ahead = True
                return probe, None, result
        probe, hits = self._hits(record)
        return probe, hits, match_probe(self.studio, probe, hits, limit=LIMIT, decisive=True)

    def apply(self, record: Record) -> Applied:
        if record.problems:
            return Applied(PROBLEM, "; ".join(record.problems))
        applied = self._apply(record)
        if self.ahead is not None:
            self.ahead.decided(record.line, applied.outcome == NEW)
        return applied

    def _apply(self, record: Record) -> Applied:
        probe, hits, result = self._scored(record)
        ahead = self.answered_ahead and self.ahead is not None
        if result.best is not None and result.best.contact.pk >= PROVISIONAL:
            # The answer names a contact not inserted yet: insert, and ask again (the
            # same answer, with its real id).
            self.flush()
            if ahead:
                self.ahead.translate(result)
            else:
                hits = self.lookups.hits(probe) if self.lookups is not None else None
                result = match_probe(self.studio, probe, hits, limit=LIMIT, decisive=True)
        if ahead and result.outcome == MATCH and self.lookups is not None:
            hits = self.lookups.found_by(probe)  # what adds_nothing reads of them
        if result.outcome == MATCH and result.best is not None:
            contact = result.best.contact
            if hits is not None and adds_nothing(
                record.contact, probe, hits, contact, self.studio.country, self._addresses(contact)
            ):
                known = self.lookups.tag_ids(result.best.contact.pk) if self.lookups else None
                return merging.merged_unchanged(result.best, known)
            return self._merge(record, result.best)
        reason = "New contact."
        if result.outcome != NONE and result.best is not None:
            near = result.best.contact
            reason = (
                f"New contact; possibly the same as {near.display_name} (#{near.pk}), "
                f"not certain: {result.why}"
            )
        return self._new(record, Applied(NEW, reason))

    def _build(self, record: Record) -> contact_services.Built | ValidationError:
        """The row's new contact checked and built (or why the services refuse it), and
        a candidate for the later rows under its provisional id."""
        built = self.ahead.built(record.line) if self.answered_ahead and self.ahead else None
        if built is None:
            try:
                [built] = contact_services.build_contacts(
                    studio=self.studio, people=[record.contact]
                )
            except ValidationError as exc:
                return exc
        if self.lookups is not None:
            self.lookups.add_built(PROVISIONAL + self._slot(record), *built)
        return built

    def _new(self, record: Record, applied: Applied) -> Applied:
        if len(self.pending) >= FLUSH_AT:
            self.flush()  # before building: the look-ups settle only the highest ids
        built = self._build(record)
        if isinstance(built, ValidationError):
            errors = built.error_dict.get("0", [])
            return Applied(PROBLEM, "; ".join(m for e in errors for m in e.messages))
        provisional = PROVISIONAL + self._slot(record)
        self.pending.append(_Pending(record, applied, built, provisional))
        self.pending_keys |= stored_keys(record.contact, self.studio.country)
        return applied

    def _addresses(self, contact: Contact) -> Callable[[], list[Any]]:
        """The contact's addresses: as the look-ups read them (kept current, as its
        candidates' rows are), else from the database."""
        known = self.lookups.contacts.addresses_of(contact.pk) if self.lookups else None
        return merging.addresses_of(contact) if known is None else lambda: known

    def _merge(self, record: Record, best: Any) -> Applied:
        # The matcher builds its contacts from raw rows (matching_lookup.Hits.contact);
        # the one written to is read through the ORM, so its own fields save unchanged.
        contact = Contact.objects.for_studio(self.studio).get(pk=best.contact.pk)
        contact.studio = self.studio
        try:
            applied = merge_into(contact, record.contact)
        except ValidationError as exc:
            return Applied(PROBLEM, "; ".join(exc.messages))
        if self.lookups is not None and merging.wrote(applied):
            added = [name for name in ("email", "phone") if applied.created.get(name)]
            if added == ["phone"] and merging.only_added(applied, "phone"):
                region = self.studio.country
                numbers = [
                    merging.e164_or_blank(phone, region)
                    for phone in record.contact.get("phones", ())
                ]
                self.lookups.phones_added(contact.pk, numbers)
            else:
                self.lookups.refresh([contact.pk], added=added)
        reasons = ", ".join(best.reasons)
        applied.reason = f"Merged into {contact.display_name} (#{contact.pk}): {reasons}"
        return applied

    def flush(self) -> None:
        """Insert the pending contacts (checked already, when built)."""
        waiting, self.pending, self.pending_keys = self.pending, [], set()
        if not waiting:
            return
        with transaction.atomic():
            created = contact_services.insert_built(
                studio=self.studio, built=[item.built for item in waiting]
            )
        real = {}
        for item, contact in zip(waiting, created, strict=True):
            item.applied.created = {"contact": [contact.pk]}
            real[item.provisional] = contact.pk
        if self.lookups is not None:
            self.lookups.settle(real)


def _contact_for(
    studio: Studio, record: Record
) -> tuple[Contact | None, str, dict[str, list[int]]]:
    """The contact of a shoot or sale row: a certain match, or a new contact when nobody
    comes close; None (with the reason) when several could be the client."""
    if not record.contact:
        return None, "", {}
    result = find_matches(studio=studio, candidate=record.match_input(), limit=3)
    if result.outcome == MATCH and result.best is not None:
        return (
            result.best.contact,
            f"client {result.best.contact.display_name} (#{result.best.contact.pk})",
            {},
        )
    if result.outcome == NONE:
        contact = contact_services.create_contact(studio=studio, **record.contact)
        return contact, f"new client {contact.display_name}", {"contact": [contact.pk]}
    names = ", ".join(f"{c.contact.display_name} (#{c.contact.pk})" for c in result.candidates[:3])
    return None, f"Not certain who the client is: {names}. Add their email to the file.", {}


def _shoot_or_sale_row(studio: Studio, kind: str, record: Record) -> Applied:
    contact, about, created = _contact_for(studio, record)
    if contact is None and (kind == "sales" or about):
        return Applied(PROBLEM, about or "No client.")
    data = record.data
    if kind == "shoots":
        starts = local_datetime(data["date"], dt.time(12, 0), studio_zone(studio))
        shoot = shoot_services.create_shoot(
            studio=studio,
            title=data["title"][:200],
            shoot_type=data["shoot_type"],
            starts_at=starts,
            status=data["status"],
            location=data["location"][:200],
            notes=data["notes"],
            contacts=[(contact, "client")] if contact else [],
        )
        created["shoot"] = [shoot.pk]
        return Applied(NEW, f"New shoot{'; ' + about if about else ''}.", created=created)
    line = sale_services.LineInput(
        description=data["description"][:300],
        product_kind=SaleLine.Kind.PRODUCT,
        quantity=1,
        unit_price_minor=data["amount_minor"],
    )
    sale = sale_services.create_sale(
        studio=studio,
        data=sale_services.SaleInput(
            contact=contact,
            sale_date=data["date"],
            currency=data["currency"],
            lines=[line],
            source=Sale.Source.MANUAL,
            external_ref=data["reference"][:120],
            notes=data["notes"],
        ),
    )
    created["sale"] = [sale.pk]
    return Applied(NEW, f"New sale; {about}.", created=created)
