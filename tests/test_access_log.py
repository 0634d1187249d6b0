"""The OAuth `code` in a callback URL (as every query value) never reaches the access log."""

from __future__ import annotations

import time

import requests


def test_the_oauth_code_is_redacted_in_the_access_log(two_servers):
    url = two_servers.urls[0]
    log = two_servers.access_logs[0]
    secret = "oauth-code-5f2d9c"
    requests.get(
        f"{url}/galleries/pictime/callback/?code={secret}&state=s1",
        headers={"Referer": f"http://pictime.example/authorize?code={secret}"},
        allow_redirects=False,
        timeout=30,
    )
    for _ in range(50):  # gunicorn writes the line after the response
        if "/galleries/pictime/callback/" in log.read_text():
            break
        time.sleep(0.1)
    text = log.read_text()
    assert "/galleries/pictime/callback/?code=[redacted]&state=[redacted]" in text
    assert secret not in text
