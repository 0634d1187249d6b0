"""The pages: upload → mapping → preview (counts, filters) → run → undo; export; another
studio's import is not found; an unreadable file is reported at the field."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact
from transfers.models import ImportBatch

DATA = b"Given Name,Family Name,E-post,Zip\nJane,Smith,jane@example.com,BA1 1AA\nAnn,Lee,nope@,\n"


def upload(client, data=DATA, name="c.csv", kind="contacts"):
    return client.post(
        reverse("transfers:start"), {"kind": kind, "file": SimpleUploadedFile(name, data)}
    )


def test_the_whole_path(auth_client, studio, make_contact):
    make_contact("Jane", "Smith", emails=["jane@example.com"])
    assert reverse("transfers:start") in auth_client.get(reverse("contacts:list")).text
    response = upload(auth_client)
    batch = ImportBatch.objects.get(studio=studio)
    assert response.url == reverse("transfers:batch", kwargs={"pk": batch.pk})
    page = auth_client.get(response.url).text
    assert "Match the columns" in page and "Light Blue" in page
    # "E-post" (Swedish) is not a known header: the studio maps it by hand.
    assert batch.mapping == {"0": "first_name", "1": "last_name", "3": "postcode"}
    form = {"column-0": "first_name", "column-1": "last_name", "column-2": "email",
            "column-3": "postcode", "bad_rows": "skip", "action": "preview"}  # fmt: skip
    auth_client.post(reverse("transfers:mapping", kwargs={"pk": batch.pk}), form)
    batch.refresh_from_db()
    assert batch.status == "previewed" and batch.counts == {"merge": 1, "problem": 1}
    page = auth_client.get(
        reverse("transfers:batch", kwargs={"pk": batch.pk}) + "?outcome=problem"
    ).text
    assert "nope@" in page and "jane@example.com" not in page.split("import-rows")[-1]
    auth_client.post(reverse("transfers:run", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == "done"
    jane = Contact.objects.get(studio=studio)
    assert jane.addresses.get().postcode == "BA1 1AA"
    assert (
        "Undo this import"
        in auth_client.get(reverse("transfers:batch", kwargs={"pk": batch.pk})).text
    )
    auth_client.post(reverse("transfers:undo", kwargs={"pk": batch.pk}))
    assert not jane.addresses.exists()


def test_an_unreadable_file_is_said_at_the_field(auth_client):
    response = upload(auth_client, data=b"Name\n", name="c.csv")
    assert response.status_code == 200
    assert "no data rows" in response.text
    assert not ImportBatch.objects.exists()


def test_another_studios_import_is_not_found(auth_client, other_studio):
    from transfers import services

    theirs = services.upload(studio=other_studio, kind="contacts", file_name="c.csv", data=DATA)
    for name in ("batch", "undo", "progress"):
        assert (
            auth_client.get(reverse(f"transfers:{name}", kwargs={"pk": theirs.pk})).status_code
            == 404
        )
    assert auth_client.post(reverse("transfers:run", kwargs={"pk": theirs.pk})).status_code == 404


def test_saved_mapping_is_offered_and_applied(auth_client, studio):
    upload(auth_client)
    batch = ImportBatch.objects.get()
    form = {"column-0": "first_name", "column-1": "last_name", "column-2": "email",
            "action": "save", "mapping_name": "My old CRM"}  # fmt: skip
    auth_client.post(reverse("transfers:mapping", kwargs={"pk": batch.pk}), form)
    upload(auth_client, data=b"E-post,Family Name,Given Name\na@example.com,Lee,Ann\n")
    second = ImportBatch.objects.order_by("-pk").first()
    page = auth_client.get(reverse("transfers:batch", kwargs={"pk": second.pk})).text
    assert "Saved: My old CRM" in page
    auth_client.post(
        reverse("transfers:mapping", kwargs={"pk": second.pk}),
        {"action": "preset", "preset": "My old CRM"},
    )
    second.refresh_from_db()
    assert second.mapping == {"0": "email", "1": "last_name", "2": "first_name"}


def test_export_downloads(auth_client, studio, make_contact):
    make_contact("Ada", "Lovelace", emails=["ada@example.com"])
    response = auth_client.get(reverse("transfers:download", kwargs={"file_format": "csv"}))
    assert response["Content-Disposition"] == 'attachment; filename="contacts.csv"'
    assert b"ada@example.com" in response.content
    assert "Download vCard" in auth_client.get(reverse("transfers:export")).text


def test_progress_polls_while_running_and_reloads_when_done(auth_client, studio):
    from transfers import services

    data = b"Name,Email\n" + b"".join(b"P%d Person,p%d@example.com\n" % (n, n) for n in range(5))
    batch = services.upload(studio=studio, kind="contacts", file_name="c.csv", data=data)
    services.start_run(batch=batch, enqueue=False)
    services.run_chunk(batch_id=batch.pk, size=2)
    url = reverse("transfers:progress", kwargs={"pk": batch.pk})
    running = auth_client.get(url)
    assert 'hx-trigger="every 1s"' in running.text
    assert "2 of 5 rows (40%)" in running.text
    assert "HX-Refresh" not in running
    while services.run_chunk(batch_id=batch.pk, size=2):
        pass
    done = auth_client.get(url)
    assert done["HX-Refresh"] == "true"
    assert "5 of 5 rows (100%)" in done.text and "hx-trigger" not in done.text
