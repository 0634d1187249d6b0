"""Two real web processes share one budget: the API rate limit and login throttling
count in the shared cache, not per process (issue #10: 1,200 served against 600/min).

The two gunicorn servers (tests/conftest.py), each its own process, run on one SQLite
database whose cache table is the shared cache; the test alternates between them.
"""

from __future__ import annotations

import requests

from tests.conftest import ACCOUNT_FAILURES, API_BUDGET, EMAIL, PASSWORD


def test_the_api_budget_is_shared_by_every_process(two_servers):
    urls, key = two_servers.urls, two_servers.api_key
    headers = {"Authorization": f"Bearer {key}"}
    served = {url: 0 for url in urls}
    refused = 0
    for n in range(API_BUDGET * 2):
        url = urls[n % 2]
        status = requests.get(f"{url}/api/v1/me", headers=headers, timeout=30).status_code
        assert status in (200, 429)
        if status == 200:
            served[url] += 1
        else:
            refused += 1
    assert sum(served.values()) == API_BUDGET  # per process, it would be twice that
    assert all(served.values()) and refused == API_BUDGET


def test_failed_logins_count_across_processes(two_servers):
    urls = two_servers.urls
    browser = requests.Session()
    browser.get(f"{urls[0]}/accounts/login/", timeout=30)

    def log_in(url: str, password: str) -> int:
        data = {"username": EMAIL, "password": password}
        data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"]
        headers = {"Referer": f"{url}/accounts/login/"}
        return browser.post(
            f"{url}/accounts/login/", data=data, headers=headers, allow_redirects=False, timeout=30
        ).status_code

    statuses = [log_in(urls[n % 2], "wrong") for n in range(ACCOUNT_FAILURES)]
    assert statuses == [200] * ACCOUNT_FAILURES
    assert log_in(urls[1], PASSWORD) == 429
    assert log_in(urls[0], PASSWORD) == 429
