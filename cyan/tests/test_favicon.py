"""Every page links Cyan's icon, and the address browsers try on their own leads to it
(a missing icon was a "Not Found" warning in the log on each first visit)."""

import re

from django.contrib.staticfiles import finders


def test_pages_link_the_icon_and_it_exists(client):
    page = client.get("/accounts/login/", follow=True)
    found = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', page.text)
    assert found, "no icon link"
    assert found[1].endswith("cyan/favicon.svg")
    assert finders.find("cyan/favicon.svg")


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("cyan/favicon.svg")
