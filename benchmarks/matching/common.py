"""Shared by the matching benchmarks: database set-up, a fast loader of contacts (keys
computed by contacts.keys, as contacts.services would), and the accuracy metrics.

Imported after `configure()`, which points Django at the benchmark's own database.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/cyan_bench_matching"
BENCH_DIR = ROOT / "var" / "bench"
BATCH = 20_000


def configure(db: str, *, pg_url: str = DEFAULT_PG, sqlite_name: str = "matching") -> str:
    """Point Django at the benchmark database (never the project's or the tests')."""
    if db == "postgres":
        if pg_url.rstrip("/").rsplit("/", 1)[-1] in {"test", "postgres", "cyan"}:
            sys.exit("Use a database of its own for the benchmark (e.g. cyan_bench_matching).")
        url = pg_url
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{BENCH_DIR / f'{sqlite_name}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyan.settings")
    os.environ.setdefault("CYAN_LOG_LEVEL", "WARNING")
    # As the worker runs in production: with DEBUG on, Django notes every statement.
    os.environ.setdefault("CYAN_DEBUG", "false")
    import django

    django.setup()
    return url


def recreate_database(url: str) -> None:
    """An empty database, migrated."""
    from django.core.management import call_command
    from django.db import connection

    connection.close()
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        base, name = url.rstrip("/").rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def make_studio(name: str = "Matching benchmark"):
    from accounts.models import Studio

    return Studio.objects.create(name=name, country="GB", default_currency="GBP")


@dataclass
class Person:
    """A contact as stored: what the studio typed in, before keys are computed."""

    first: str
    last: str
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    line1: str = ""
    postcode: str = ""
    town: str = ""
    contact_id: int = 0  # set by load_people


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _insert(model, rows: Iterable[dict]) -> int:
    """Bulk insert with explicit ids: PostgreSQL COPY, SQLite executemany."""
    from django.db import connection

    names = _columns(model)
    now = datetime.now(UTC)
    defaults = {
        f.column: (now if f.get_internal_type() == "DateTimeField" else f.get_default())
        for f in model._meta.concrete_fields
    }
    table = model._meta.db_table
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH)):
            values = [[row.get(n, defaults[n]) for n in names] for row in batch]
            count += len(values)
            if connection.vendor == "postgresql":
                columns = ", ".join(f'"{n}"' for n in names)
                with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join("?" * len(names))
                columns = ", ".join(f'"{n}"' for n in names)
                raw = connection.connection
                raw.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)
    return count


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def load_people(studio, people: list[Person]) -> None:
    """Contacts with their emails, phones and addresses, keys as contacts.services stores
    them (the generators only produce emails and phones already in normalized form)."""
    from django.db import transaction

    from contacts import keys
    from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone

    first_id = _next_id(Contact)
    for offset, person in enumerate(people):
        person.contact_id = first_id + offset
    sid = studio.pk

    def contacts() -> Iterator[dict]:
        for p in people:
            yield {
                "id": p.contact_id,
                "studio_id": sid,
                "first_name": p.first,
                "last_name": p.last,
                "name_key": keys.name_key(p.first, p.last),
                "surname_key": keys.surname_key(p.first, p.last),
                "source": "import",
            }

    def emails() -> Iterator[dict]:
        for p in people:
            for n, email in enumerate(p.emails):
                yield {
                    "studio_id": sid,
                    "contact_id": p.contact_id,
                    "email": email,
                    "email_normalized": email.lower(),
                    "is_primary": n == 0,
                }

    def phones() -> Iterator[dict]:
        for p in people:
            for n, e164 in enumerate(p.phones):
                raw = "0" + e164[3:] if e164.startswith("+44") else e164
                yield {
                    "studio_id": sid,
                    "contact_id": p.contact_id,
                    "raw": raw,
                    "e164": e164,
                    "is_primary": n == 0,
                }

    def addresses() -> Iterator[dict]:
        for p in people:
            if p.line1 or p.postcode:
                yield {
                    "studio_id": sid,
                    "contact_id": p.contact_id,
                    "line1": p.line1,
                    "city": p.town,
                    "postcode": p.postcode,
                    "postcode_key": keys.postcode_key(p.postcode),
                    "street_key": keys.street_key(p.line1),
                    "country": "GB",
                }

    with transaction.atomic():
        _insert(Contact, contacts())
        for model, rows in ((ContactEmail, emails()), (ContactPhone, phones())):
            _add_ids(model, rows)
        _add_ids(ContactAddress, addresses())
    reset_sequences()


def _add_ids(model, rows: Iterable[dict]) -> None:
    start = _next_id(model)
    _insert(model, ({"id": start + n, **row} for n, row in enumerate(rows)))


def add_gallery_shoots(studio, shoots: list[tuple[str, list[tuple[int, str]]]]) -> None:
    """Shoots recording Pic-Time galleries: (gallery id, [(contact id, role)])."""
    from django.db import transaction

    from shoots.models import Shoot, ShootContact

    start = _next_id(Shoot)
    when = datetime(2025, 6, 1, 12, tzinfo=UTC)
    shoot_rows, link_rows = [], []
    for n, (gallery_id, people) in enumerate(shoots):
        shoot_id = start + n
        shoot_rows.append(
            {
                "id": shoot_id,
                "studio_id": studio.pk,
                "title": f"Wedding {gallery_id}",
                "shoot_type": "wedding",
                "starts_at": when,
                "status": "completed",
                "gallery_provider": "pictime",
                "gallery_id": gallery_id,
            }
        )
        for contact_id, role in people:
            link_rows.append(
                {
                    "studio_id": studio.pk,
                    "shoot_id": shoot_id,
                    "contact_id": contact_id,
                    "role": role,
                }
            )
    with transaction.atomic():
        _insert(Shoot, shoot_rows)
        _add_ids(ShootContact, link_rows)
    reset_sequences()


def reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone
    from shoots.models import Shoot, ShootContact

    models = [Contact, ContactEmail, ContactPhone, ContactAddress, Shoot, ShootContact]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- accuracy ------------------------------------------------------------------------


@dataclass
class Tally:
    """Links predicted for orders whose true contact is known (None: a new client)."""

    true_positive: int = 0
    false_positive: int = 0
    with_truth: int = 0

    def add(self, predicted: int | None, truth: int | None) -> None:
        if truth is not None:
            self.with_truth += 1
        if predicted is None:
            return
        if predicted == truth:
            self.true_positive += 1
        else:
            self.false_positive += 1

    @property
    def precision(self) -> float:
        linked = self.true_positive + self.false_positive
        return self.true_positive / linked if linked else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.with_truth if self.with_truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def row(self, label: str) -> str:
        return (
            f"| {label} | {self.precision:.4f} | {self.recall:.4f} | {self.f1:.4f} | "
            f"{self.true_positive} | {self.false_positive} |"
        )


TALLY_HEADER = (
    "| | precision | recall | F1 | right links | wrong links |\n|---|---|---|---|---|---|"
)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50": statistics.median(ordered),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }
