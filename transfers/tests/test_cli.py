"""The command line: `cyan import …` (progress on stderr, the batch id last on stdout),
`cyan import undo`, `cyan export contacts`; a wrong email or file says so."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contacts.models import Contact
from transfers.models import ImportBatch


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_import_dry_run_then_import_then_undo(tmp_path, studio, owner, make_contact):
    make_contact("Jane", "Smith", emails=["jane@example.com"])
    path = tmp_path / "clients.csv"
    path.write_text(
        "Given Name;Surname;E-mail Address\n"
        "Jane;Smith;jane@example.com\nAnn;Lee;ann@example.com\nX;Y;bad@\n"
    )
    out, err = run("import", "contacts", str(path), email=owner.email, dry_run=True)
    assert "Preview: 1 new, 1 merged, 1 with problems" in err
    assert "line 4:" in err
    assert Contact.objects.filter(studio=studio).count() == 1

    out, err = run("import", "contacts", str(path), email=owner.email)
    batch_id = out.strip().splitlines()[-1]
    batch = ImportBatch.objects.get(pk=int(batch_id))
    assert batch.status == ImportBatch.Status.DONE
    assert "3/3 rows" in err and "Imported: 1 new, 1 merged" in err
    assert Contact.objects.filter(studio=studio).count() == 2

    out, err = run("import", "undo", batch_id, email=owner.email)
    assert out.strip() == batch_id
    assert Contact.objects.filter(studio=studio).count() == 1


def test_ambiguous_dates_need_the_flag(tmp_path, studio, owner):
    path = tmp_path / "sales.csv"
    path.write_text("Date,Client Email,Amount\n01/02/2026,a@example.com,10\n")
    with pytest.raises(CommandError, match="--date-order"):
        run("import", "sales", str(path), email=owner.email)
    out, _err = run("import", "sales", str(path), email=owner.email, date_order="dmy")
    assert ImportBatch.objects.get(pk=int(out.strip())).counts == {"new": 1}


def test_export_contacts(tmp_path, studio, owner, make_contact):
    make_contact("Ada", "Lovelace", emails=["ada@example.com"])
    target = tmp_path / "contacts.vcf"
    run("export", "contacts", email=owner.email, file_format="vcf", output=str(target))
    assert "ada@example.com" in target.read_text()


def test_errors_are_clear(tmp_path, owner, other_studio_and_owner):
    with pytest.raises(CommandError, match="No user with the email"):
        run("import", "contacts", "x.csv", email="nobody@example.com")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import", "contacts", str(tmp_path / "missing.csv"), email=owner.email)
    path = tmp_path / "c.csv"
    path.write_text("Name\nAda\n")
    out, _ = run("import", "contacts", str(path), email=owner.email)
    _other, other_owner = other_studio_and_owner
    with pytest.raises(CommandError, match="has no import"):  # another studio's batch
        run("import", "undo", out.strip(), email=other_owner.email)
