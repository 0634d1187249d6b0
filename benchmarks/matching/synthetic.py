"""Matching accuracy on a synthetic studio (benchmarks/matching/synth.py): overall and per
scenario, with every trap counted.

    .venv/bin/python benchmarks/matching/synthetic.py --contacts 20000 --orders 3000
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

from common import TALLY_HEADER, Tally, configure, recreate_database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-wrong", type=int, default=10, help="wrong certain links to print")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    url = configure(args.db, sqlite_name="matching_synthetic")
    recreate_database(url)
    from common import add_gallery_shoots, load_people, make_studio
    from synth import Generator

    from contacts.matching import MATCH, NONE, find_matches

    studio = make_studio()
    generator = Generator(args.seed)
    people = generator.population(args.contacts)
    load_people(studio, people)
    add_gallery_shoots(
        studio,
        [
            (gallery, [(people[i].contact_id, role) for i, role in on_shoot])
            for gallery, on_shoot in generator.gallery_of.items()
        ],
    )
    orders = generator.orders(args.orders)
    print(
        f"{len(people):,} contacts, {len(generator.gallery_of):,} wedding galleries, "
        f"{len(orders):,} orders (seed {args.seed})\n"
    )

    certain, top1 = Tally(), Tally()
    in_list = with_truth = 0
    per_scenario: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong: list[str] = []
    started = time.perf_counter()
    for order in orders:
        result = find_matches(studio=studio, candidate=order.as_input())
        truth = people[order.truth].contact_id if order.truth is not None else None
        best = result.best.contact.pk if result.best else None
        certain.add(best if result.outcome == MATCH else None, truth)
        top1.add(best if result.outcome != NONE else None, truth)
        listed = {c.contact.pk for c in result.candidates}
        if truth is not None:
            with_truth += 1
            in_list += truth in listed
        row = per_scenario[order.scenario]
        row["orders"] += 1
        row[result.outcome] += 1
        if result.outcome == MATCH:
            row["certain right" if best == truth else "certain WRONG"] += 1
            if best != truth and len(wrong) < args.show_wrong:
                wrong.append(
                    f"- {order.scenario}: {order} → {result.best.contact} "
                    f"({', '.join(result.best.reasons)})"
                )
        if truth is not None:
            row["truth listed"] += truth in listed
    elapsed = time.perf_counter() - started

    print(TALLY_HEADER)
    print(certain.row("certain matches"))
    print(top1.row("certain + possible (top-ranked)"))
    print(
        f"\nTrue contact among the candidates shown: {in_list}/{with_truth} "
        f"({in_list / max(with_truth, 1):.4f}); {elapsed / len(orders) * 1000:.1f} ms/order\n"
    )
    print(
        "| scenario | orders | match | certain right | certain WRONG | possible | none "
        "| truth listed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scenario in sorted(per_scenario):
        row = per_scenario[scenario]
        print(
            f"| {scenario} | {row['orders']} | {row['match']} | {row['certain right']} | "
            f"{row['certain WRONG']} | {row['possible']} | {row['none']} | "
            f"{row['truth listed']} |"
        )
    if wrong:
        print("\nWrong certain links:")
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
