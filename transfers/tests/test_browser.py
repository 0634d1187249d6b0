"""A photographer brings clients from a spreadsheet in Chromium: uploads a CSV, maps the
one column Cyan did not recognise, previews (new / merge / problem), runs the import,
watches the progress bar finish, and undoes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact
from testkit import factories
from testkit.browser import log_in

pytestmark = pytest.mark.browser

CSV = (
    "Given Name,Family Name,E-post,Mobile Phone\n"
    "Jane,Smith,jane@example.com,07700 900123\n"  # Jane is a contact already: merge
    "Ann,Lee,ann@example.com,\n"  # new
    "Bad,Row,not-an-email,\n"  # problem
)


def test_import_a_csv_preview_run_and_undo(
    page: Page, live_server, studio_factory, transactional_db, tmp_path
):
    studio, owner = studio_factory("Lumen Studio", country="GB")
    jane = factories.make_contact(studio, "Jane", "Smith", emails=["jane@example.com"])
    path = tmp_path / "clients.csv"
    path.write_text(CSV)
    log_in(page, live_server.url, owner.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File (CSV, XLSX or vCard)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and map columns").click()

    expect(page.get_by_role("heading", name="1. Match the columns")).to_be_visible()
    expect(page.get_by_label("Given Name")).to_have_value("first_name")
    expect(page.get_by_label("E-post")).to_have_value("")
    page.get_by_label("E-post").select_option(label="Email")
    page.get_by_role("button", name="Preview the import").click()

    expect(page.locator("#count-new")).to_have_text("New: 1")
    expect(page.locator("#count-merge")).to_have_text("Merge: 1")
    expect(page.locator("#count-problem")).to_have_text("Problem: 1")
    page.get_by_role("navigation", name="Filter rows").get_by_role("link", name="Problem").click()
    expect(page.locator("#import-rows tbody tr")).to_have_count(1)
    expect(page.locator("#import-rows")).to_contain_text("not a valid email address")
    assert Contact.objects.filter(studio=studio).count() == 1  # the preview wrote nothing

    page.get_by_role("button", name="Import 3 rows").click()
    expect(page.locator("#import-progress-text")).to_contain_text("3 of 3 rows (100%)")
    expect(page.locator("#import-progress-text")).to_contain_text("finished")
    expect(page.locator("#import-bar")).to_have_attribute("value", "3")
    assert Contact.objects.filter(studio=studio).count() == 2
    assert list(jane.phones.values_list("e164", flat=True)) == ["+447700900123"]

    page.get_by_role("link", name="Undo this import").click()
    page.get_by_role("button", name="Yes, undo the import").click()
    expect(page.get_by_text("Import undone.")).to_be_visible()
    expect(page.get_by_text("Everything the import did was undone.")).to_be_visible()
    assert list(Contact.objects.filter(studio=studio)) == [jane]
    assert not jane.phones.exists()
