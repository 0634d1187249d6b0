"""Verify or rebuild the rollups the reports read: the daily sales rollup (sales.rollup),
each client's totals (sales.client_rollup), what each sale owes (sales.owing) and the tax
report's (invoicing.tax_rollup). See docs/operations.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from invoicing import tax_rollup
from sales import client_rollup, owing
from sales import rollup as sales_rollup

ROLLUPS = (
    ("sales by day", sales_rollup),
    ("sales by client", client_rollup),
    ("tax by day", tax_rollup),
    ("money owed by due date", owing),
)
SHOWN = 20  # differences listed before "… and N more"


class Command(BaseCommand):
    help = (
        "Recompute the reports' rollups from the sales and invoicing documents: --check "
        "lists every difference (exit status 1 when there is one), otherwise rebuild them."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare only, change nothing")
        parser.add_argument("--studio", type=int, help="one studio's rows (its id)")

    def handle(self, *args, check: bool = False, studio: int | None = None, **options) -> None:
        if check:
            self._check(studio)
            return
        for name, rollup in ROLLUPS:
            written = rollup.rebuild(studio)
            self.stdout.write(f"{name}: rebuilt, {written:,} rows")

    def _check(self, studio: int | None) -> None:
        found = 0
        for name, rollup in ROLLUPS:
            differences = rollup.check(studio)
            found += len(differences)
            if not differences:
                self.stdout.write(f"{name}: matches")
                continue
            self.stdout.write(f"{name}: {len(differences):,} differences")
            for line in differences[:SHOWN]:
                self.stdout.write(f"  {line}")
            if len(differences) > SHOWN:
                self.stdout.write(f"  … and {len(differences) - SHOWN:,} more")
        if found:
            raise CommandError(
                f"{found:,} rollup rows differ from the data: "
                "run `manage.py rebuild_report_rollups` to rebuild them."
            )
