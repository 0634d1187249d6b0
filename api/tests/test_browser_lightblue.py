"""The copy-paste form of docs/lightblue-api.md, submitted by Chromium to a live Cyan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from inbox.models import InboxItem

pytestmark = pytest.mark.browser


def test_the_documented_form_posts_once_and_a_repeat_answers_minus_4(
    page: Page, live_server, studio, transactional_db, tmp_path
):
    from api.services import generate_api_key

    _, key = generate_api_key(studio=studio, name="Website form")
    doc = (Path(settings.BASE_DIR) / "docs" / "lightblue-api.md").read_text()
    form = re.search(r"```html\n(.*?)```", doc, re.S).group(1)
    form = form.replace("https://cyan.example.com", live_server.url)
    form = form.replace("cyan_xxxxxxxx_your-key-here", key)
    # An ID makes a repeat a duplicate (a site's server-side script would add one).
    form = form.replace("</form>", '<input type="hidden" name="ID" value="sub-1"></form>')
    html = tmp_path / "contact.html"
    html.write_text(f"<!doctype html><meta charset='utf-8'><title>Contact</title>{form}")

    def submit() -> str:
        page.goto(html.as_uri())
        page.get_by_label("First name").fill("Zoë")
        page.get_by_label("Last name").fill("Ångström")
        page.get_by_label("Email").fill("zoe@example.com")
        page.get_by_label("What kind of shoot?").select_option("Newborn")
        page.get_by_label("Date (dd/mm/yyyy)").fill("03/04/2027")
        page.get_by_label("Message").fill("Baby due in March!")
        page.get_by_role("button", name="Send").click()
        expect(page.locator("body")).not_to_have_text("")
        return page.locator("body").inner_text().strip()

    assert submit() == "0"
    item = InboxItem.objects.get(studio=studio)
    assert item.customer_name == "Zoë Ångström"
    assert item.normalized["event_date"] == "2027-04-03"
    assert item.normalized["shoot_type"] == "Newborn"
    assert submit().splitlines()[0] == "-4"
    assert InboxItem.objects.filter(studio=studio).count() == 1
