"""Import benchmark: a 50k-row CSV into a studio that has 100k contacts already.

    .venv/bin/python benchmarks/import/run.py --db postgres load     # studio + CSV + truth
    .venv/bin/python benchmarks/import/run.py --db postgres import   # the run, measured
    (same with --db sqlite; --preview also times the preview)

The CSV mixes rows of existing clients (same email; same email and a married name; no
email but the same phone or the same full address), new clients (many with common
names: namesakes of existing contacts), and new clients who appear twice in the file.
Each row's truth is kept beside the CSV, so the merges can be checked: precision = the
merges into the right contact / all merges.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks" / "matching"))

from common import BENCH_DIR, configure, load_people, make_studio, recreate_database  # noqa: E402

PG = os.environ.get("CYAN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/transfers_bench")
HEADER = ["First Name", "Last Name", "Email", "Mobile Phone", "Address", "Town", "Postcode"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("phase", choices=["load", "import"])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--preview", action="store_true", help="also time the preview")
    parser.add_argument("--first", type=int, default=0, help="import only the file's first N rows")
    parser.add_argument("--profile", default="", help="write a cProfile of the run to this file")
    return parser.parse_args()


def files(db: str) -> tuple[Path, Path]:
    return BENCH_DIR / f"import-{db}.csv", BENCH_DIR / f"import-{db}-truth.json"


def load(args: argparse.Namespace, url: str) -> None:
    from synth import Generator

    recreate_database(url)
    studio = make_studio("Import benchmark")
    people = Generator(args.seed).population(args.contacts)
    started = time.perf_counter()
    load_people(studio, people)
    print(f"loaded {len(people):,} contacts in {time.perf_counter() - started:.0f} s")
    rows, truth = build_rows(args, people)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    csv_path, truth_path = files(args.db)
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    truth_path.write_text(json.dumps({"studio": studio.pk, "truth": truth}))
    print(f"wrote {len(rows):,} rows to {csv_path}")


def build_rows(args: argparse.Namespace, people) -> tuple[list[list[str]], list[str]]:
    """Rows and, per row, who it is: "c<id>" (an existing contact) or "n<k>" (new person k)."""
    from synth import Generator

    rng = random.Random(args.seed + 1)
    existing = int(args.rows * 0.3)
    repeats = int(args.rows * 0.1)
    fresh = args.rows - existing - repeats
    rows: list[tuple[list[str], str]] = []
    for person in rng.sample(people, existing):
        rows.append((existing_row(rng, person), f"c{person.contact_id}"))
    newcomers = Generator(args.seed + 99).population(fresh)
    new_rows = []
    for k, person in enumerate(newcomers[:fresh]):
        email = f"{person.first}.{person.last}.{k}@newclients.example".lower().replace(" ", "")
        phone = person.phones[0] if person.phones else ""
        new_rows.append(
            (
                [
                    person.first,
                    person.last,
                    email,
                    phone,
                    person.line1,
                    person.town,
                    person.postcode,
                ],
                f"n{k}",
            )
        )
    rows.extend(new_rows)
    for row, who in rng.sample(new_rows, repeats):
        again = list(row)
        again[2] = again[2].upper()  # the same email, written differently
        again[3] = ""
        rows.append((again, who))
    rng.shuffle(rows)
    return [r for r, _ in rows], [w for _, w in rows]


def existing_row(rng: random.Random, p) -> list[str]:
    phone = p.phones[0] if p.phones else ""
    kind = rng.random()
    if p.emails and kind < 0.6:
        return [p.first, p.last, p.emails[0].upper(), "", "", "", ""]
    if p.emails and kind < 0.8:  # a married name: the email and first name agree
        return [p.first, "Newname", p.emails[0], "", "", "", ""]
    if phone and p.phones and kind < 0.9:
        return [
            p.first,
            p.last,
            "",
            "0" + phone[3:] if phone.startswith("+44") else phone,
            "",
            "",
            "",
        ]
    return [p.first, p.last, "", "", p.line1, p.town, p.postcode]


def run_import(args: argparse.Namespace) -> None:
    from accounts.models import Studio
    from transfers import services
    from transfers.models import ImportBatch, ImportRow

    csv_path, truth_path = files(args.db)
    meta = json.loads(truth_path.read_text())
    data = csv_path.read_bytes()
    if args.first:  # the rows are shuffled: the first N are a fair sample of the file
        data = b"".join(data.splitlines(keepends=True)[: args.first + 1])
        meta["truth"] = meta["truth"][: args.first]
    studio = Studio.objects.get(pk=meta["studio"])
    load_before = os.getloadavg()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batch = services.upload(studio=studio, kind="contacts", file_name=csv_path.name, data=data)
    if args.preview:
        started = time.perf_counter()
        batch.status = ImportBatch.Status.PREVIEWING
        batch.save()
        services.preview(batch=batch)
        print(f"preview: {time.perf_counter() - started:.1f} s")
    services.start_run(batch=batch, enqueue=False)
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    while services.run_chunk(batch_id=batch.pk):
        pass
    elapsed = time.perf_counter() - started
    if profiler:
        profiler.disable()
        profiler.dump_stats(args.profile)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batch.refresh_from_db()
    print(
        f"{batch.row_count:,} rows in {elapsed:.1f} s = {batch.row_count / elapsed:.0f} rows/s; "
        f"counts {batch.counts}"
    )
    print(f"peak RSS {rss / 1024:.0f} MB (before the import {rss_before / 1024:.0f} MB)")
    print(f"load average before {load_before}, after {os.getloadavg()}")
    score(batch, meta["truth"], ImportRow)


def score(batch, truth: list[str], ImportRow) -> None:
    rows = {r.line: r for r in ImportRow.objects.filter(batch=batch)}
    created_for: dict[str, int] = {}
    for line in sorted(rows):
        who = truth[line - 2]
        row = rows[line]
        if row.outcome == "new" and who.startswith("n") and who not in created_for:
            created_for[who] = row.created_ids["contact"][0]
    merges = right = 0
    for line, row in rows.items():
        if row.outcome != "merge":
            continue
        merges += 1
        who = truth[line - 2]
        target = int(who[1:]) if who.startswith("c") else created_for.get(who)
        right += row.merged_contact_id == target
    should = sum(1 for w in truth if w.startswith("c")) + (
        len(truth)
        - len({w for w in truth if w.startswith("n")})
        - sum(1 for w in truth if w.startswith("c"))
    )
    print(
        f"merges {merges:,}, right {right:,}: precision {right / max(merges, 1):.4f}; "
        f"recall {right / max(should, 1):.4f} of {should:,} rows that are someone already known"
    )


def main() -> None:
    args = parse_args()
    url = configure(args.db, pg_url=PG, sqlite_name="import")
    if args.phase == "load":
        load(args, url)
    else:
        run_import(args)


if __name__ == "__main__":
    main()
