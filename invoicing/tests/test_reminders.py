"""Payment reminders by the worker: before and after the due date, once each."""

import datetime as dt

import pytest
import time_machine

from invoicing import schedules, services
from invoicing.tasks import send_payment_reminders
from testkit.factories import line

pytestmark = pytest.mark.django_db


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC))


@pytest.fixture
def due_sale(studio, make_sale, make_contact):
    """200.00 owed by Ann: half due 10 Jun 2026, the rest 10 Jul; reminders 3 days before
    and 2 days after."""
    services.update_preferences(studio=studio, remind_days_before=3, remind_days_after=2)
    ann = make_contact("Ann", "Lee", emails=["ann@example.com"])
    sale = make_sale(ann, lines=[line("package", 20000)], sale_date=dt.date(2026, 6, 1))
    due = {"unit": "days", "relative_to": "invoice_date"}
    schedules.set_schedule(
        sale=sale,
        instalments=[
            {"kind": "percent", "percent": 50, "due": {"offset": 9, **due}},
            {"kind": "remaining", "due": {"offset": 39, **due}},
        ],
    )
    return sale


def run_round() -> int:
    return send_payment_reminders.enqueue(False).return_value


def test_one_reminder_before_and_one_after_each_due_date(smtp_server, due_sale):
    with at(dt.date(2026, 6, 6)):
        assert run_round() == 0  # four days before: not yet
    with at(dt.date(2026, 6, 7)):
        assert run_round() == 1
        assert run_round() == 0  # once
    [before] = smtp_server.messages
    assert before["To"] == "ann@example.com" and "reminder" in before["Subject"]
    assert "£100.00 is due on 10 June 2026" in before.get_payload()
    with at(dt.date(2026, 6, 13)):
        assert run_round() == 1
        assert run_round() == 0
    assert "was due on 10 June 2026" in smtp_server.messages[1].get_payload()


def test_a_paid_instalment_gets_no_reminder(smtp_server, due_sale):
    schedules.record_payment(sale=due_sale, instalment="next", paid_on=dt.date(2026, 6, 2))
    with at(dt.date(2026, 6, 13)):
        assert run_round() == 0
    assert smtp_server.messages == []


def test_a_failed_send_is_tried_again_next_round(settings, smtp_server, due_sale):
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    with at(dt.date(2026, 6, 8)):
        assert run_round() == 0
        settings.MAILERS = working
        assert run_round() == 1
    assert len(smtp_server.messages) == 1
