"""`cyan export contacts --email OWNER_EMAIL --format csv|xlsx|vcf -o FILE` (- = stdout)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from transfers import cli


class Command(BaseCommand):
    help = "Export the studio's contacts as CSV, XLSX or vCard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["contacts"])
        parser.add_argument("--email", required=True, help="Email of a user of the studio.")
        parser.add_argument(
            "--format", dest="file_format", choices=["csv", "xlsx", "vcf"], default="csv"
        )
        parser.add_argument("-o", "--output", required=True, help="File to write (- for stdout).")

    def handle(self, *args: object, **options: object) -> None:
        size = cli.export(
            what=str(options["what"]),
            email=str(options["email"]),
            file_format=str(options["file_format"]),
            path=str(options["output"]),
        )
        if options["output"] != "-":
            self.stderr.write(f"Wrote {size} bytes to {options['output']}.")
