"""`cyan import contacts|shoots|sales FILE --email OWNER_EMAIL [--mapping NAME] [--dry-run]
[--date-order dmy|mdy] [--bad-rows skip|refuse]`, `cyan import undo BATCH_ID --email …`,
`cyan import resume BATCH_ID --email …`. The batch id is printed last, alone on stdout."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from transfers import cli


class Command(BaseCommand):
    help = "Import contacts, shoots or sales from CSV, XLSX or vCard; undo or resume an import."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["contacts", "shoots", "sales", "undo", "resume"])
        parser.add_argument("target", help="The file to import, or the batch id to undo/resume.")
        parser.add_argument("--email", required=True, help="Email of a user of the studio.")
        parser.add_argument("--mapping", default="", help="A preset or saved mapping, by name.")
        parser.add_argument("--dry-run", action="store_true", help="Preview only; write nothing.")
        parser.add_argument("--date-order", choices=["dmy", "mdy"], default="")
        parser.add_argument("--bad-rows", choices=["skip", "refuse"], default="")

    def handle(self, *args: object, **options: object) -> None:
        action, target, email = options["action"], str(options["target"]), str(options["email"])
        if action in ("undo", "resume"):
            if not target.isdigit():
                raise CommandError(f"{action} takes a batch id, not {target!r}.")
            if action == "undo":
                cli.undo_import(batch_id=int(target), email=email, err=self.stderr)
            else:
                cli.resume_batch(batch_id=int(target), email=email, err=self.stderr)
            self.stdout.write(target)
            return
        batch = cli.import_file(
            kind=str(action),
            path=target,
            email=email,
            mapping=str(options["mapping"]),
            dry_run=bool(options["dry_run"]),
            date_order=str(options["date_order"]),
            bad_rows=str(options["bad_rows"]),
            out=self.stdout,
            err=self.stderr,
        )
        self.stdout.write(str(batch.pk))
