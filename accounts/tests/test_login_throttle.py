"""Login throttling: per account and per address, in the shared cache, with one clear
message that is the same for an email Cyan knows and one it does not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from testkit.fixtures import DEMO_PASSWORD

# Every test runs on both shared caches: the database table (default) and Redis.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]

LOGIN = reverse("accounts:login")
THROTTLED = "Too many failed log-in attempts"


def attempt(client, email: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def without_token(response) -> str:
    html = response.content.decode()
    for volatile in (r'value="[^"]*"', r'nonce="[^"]*"', r'"X-CSRFToken": "[^"]*"'):
        html = re.sub(volatile, "", html)
    return html


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, owner, settings):
    for _ in range(settings.CYAN_LOGIN_ACCOUNT_FAILURES):
        assert attempt(client, owner.email, "wrong").status_code == 200
    locked = attempt(client, owner.email, DEMO_PASSWORD)
    assert locked.status_code == 429
    assert THROTTLED in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_case_blind(client, owner, settings, studio_factory):
    _other_studio, other = studio_factory()
    for _ in range(settings.CYAN_LOGIN_ACCOUNT_FAILURES):
        attempt(client, owner.email.upper(), "wrong", address="198.51.100.1")
    assert attempt(client, owner.email, DEMO_PASSWORD, address="198.51.100.2").status_code == 429
    # Another account is not locked by the first one's failures.
    assert attempt(client, other.email, DEMO_PASSWORD, address="198.51.100.3").status_code == 302


def test_one_address_trying_many_accounts_is_locked(client, owner, settings):
    for n in range(settings.CYAN_LOGIN_ADDRESS_FAILURES):
        attempt(client, f"guess{n}@example.test", "wrong")
    assert attempt(client, owner.email, DEMO_PASSWORD).status_code == 429
    # Another address still logs in.
    assert attempt(client, owner.email, DEMO_PASSWORD, address="192.0.2.55").status_code == 302


def test_unknown_and_known_emails_get_the_same_answers(client, owner, settings):
    unknown = "nobody@example.test"
    for n in range(settings.CYAN_LOGIN_ACCOUNT_FAILURES + 1):
        known_answer = attempt(client, owner.email, "wrong", address=f"192.0.2.{n}")
        unknown_answer = attempt(client, unknown, "wrong", address=f"192.0.2.{n}")
        assert known_answer.status_code == unknown_answer.status_code
        assert without_token(known_answer).replace(owner.email, unknown) == without_token(
            unknown_answer
        )
    assert known_answer.status_code == 429


def test_a_success_clears_the_accounts_failures(client, owner, settings):
    for _ in range(settings.CYAN_LOGIN_ACCOUNT_FAILURES - 1):
        attempt(client, owner.email, "wrong")
    assert attempt(client, owner.email, DEMO_PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, owner.email, "wrong").status_code == 200
    assert attempt(client, owner.email, DEMO_PASSWORD).status_code == 302
