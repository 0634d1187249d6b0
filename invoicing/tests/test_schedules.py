"""Payment schedules: rules, templates, Add Payment, allocation oldest first, credit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from invoicing import schedule_rules as rules
from invoicing import schedules, services
from sales.models import SaleAudit
from sales.payments import delete_payment, update_payment
from testkit.factories import line

pytestmark = pytest.mark.django_db
WEDDING = dt.datetime(2026, 9, 12, 14, tzinfo=dt.UTC)


def step(kind, value=None, offset=0, unit="days", relative_to="shoot_date"):
    body = {"kind": kind, "due": {"offset": offset, "unit": unit, "relative_to": relative_to}}
    if kind == "percent":
        body["percent"] = value
    if kind == "fixed":
        body["amount_minor"] = value
    return body


WEDDING_PLAN = [
    step("percent", 25, 0, relative_to="invoice_date"),
    step("percent", 50, -4, "weeks"),
    step("remaining", None, 1, "months"),
]


@pytest.fixture
def wedding_sale(make_sale, make_shoot, contact):
    shoot = make_shoot(contact, title="Lee wedding", starts_at=WEDDING, shoot_type="wedding")
    return make_sale(shoot=shoot, lines=[line("package", 300001)], sale_date=dt.date(2026, 5, 1))


def test_a_schedule_resolves_amounts_and_due_dates(wedding_sale):
    first, second, last = schedules.set_schedule(sale=wedding_sale, instalments=WEDDING_PLAN)
    assert [i.amount_minor for i in (first, second, last)] == [75000, 150001, 75000]
    assert first.due_on == dt.date(2026, 5, 1)  # the sale date until it is invoiced
    assert second.due_on == dt.date(2026, 8, 15)  # four weeks before the wedding
    assert last.due_on == dt.date(2026, 10, 12)
    services.create_invoice(sale=wedding_sale, issued_on=dt.date(2026, 5, 10))
    assert wedding_sale.instalments.first().due_on == dt.date(2026, 5, 10)


def test_bad_steps_are_refused_with_their_position(wedding_sale):
    bad = [step("percent", 120), step("remaining"), step("fixed", 5)]
    with pytest.raises(ValidationError) as info:
        schedules.set_schedule(sale=wedding_sale, instalments=bad)
    messages = info.value.message_dict["instalments"]
    assert any(m.startswith("Instalment 1: percent") for m in messages)
    assert any(m.startswith("Instalment 2: Only the last") for m in messages)
    assert not wedding_sale.instalments.exists()


def test_a_shoot_date_step_needs_a_shoot(make_sale):
    with pytest.raises(ValidationError):
        schedules.set_schedule(sale=make_sale(), instalments=[step("remaining")])


def test_more_than_the_total_is_refused(make_sale):
    with pytest.raises(ValidationError):
        schedules.set_schedule(
            sale=make_sale(total_minor=1000),
            instalments=[step("fixed", 1500, relative_to="invoice_date")],
        )


def test_a_template_without_a_remaining_step_warns(studio):
    _, warned = schedules.save_template(
        studio=studio, name="Half now", steps=[step("percent", 50, relative_to="invoice_date")]
    )
    template, fine = schedules.save_template(studio=studio, name="Wedding", steps=WEDDING_PLAN)
    assert warned and "remaining balance" in warned[0] and fine == []
    assert template.steps[1] == step("percent", 50.0, -4, "weeks")


def test_apply_a_template_and_pay_the_next_instalment_then_all(studio, wedding_sale):
    template, _ = schedules.save_template(studio=studio, name="Wedding", steps=WEDDING_PLAN)
    schedules.apply_template(sale=wedding_sale, template=template)
    schedules.record_payment(sale=wedding_sale, instalment="next", method="card")
    wedding_sale.refresh_from_db()
    state = schedules.schedule_state(wedding_sale)
    assert [s.paid_minor for s in state.instalments] == [75000, 0, 0]
    assert state.next_due.instalment.position == 1
    payment = schedules.record_payment(sale=wedding_sale, instalment="outstanding")
    assert payment.amount_minor == 225001
    wedding_sale.refresh_from_db()
    assert schedules.schedule_state(wedding_sale).next_due is None


def test_an_overpayment_is_credit_and_allocation_is_oldest_first(wedding_sale):
    schedules.set_schedule(sale=wedding_sale, instalments=WEDDING_PLAN)
    schedules.record_payment(sale=wedding_sale, amount_minor=100000)
    wedding_sale.refresh_from_db()
    state = schedules.schedule_state(wedding_sale)
    assert [s.paid_minor for s in state.instalments] == [75000, 25000, 0]
    schedules.record_payment(sale=wedding_sale, amount_minor=250000)
    wedding_sale.refresh_from_db()
    state = schedules.schedule_state(wedding_sale)
    assert state.credit_minor == 49999 and state.outstanding_minor == 0


def test_editing_and_deleting_a_payment_leaves_an_audit_line(wedding_sale):
    payment = schedules.record_payment(sale=wedding_sale, amount_minor=1000, method="cash")
    update_payment(payment=payment, amount_minor=1200, by="owner@example.com")
    wedding_sale.refresh_from_db()
    assert wedding_sale.paid_minor == 1200
    delete_payment(payment=payment)
    wedding_sale.refresh_from_db()
    assert wedding_sale.paid_minor == 0
    texts = list(SaleAudit.objects.order_by("id").values_list("text", flat=True))
    assert texts[0].startswith("Payment £10.00 on") and "changed to £12.00" in texts[0]
    assert texts[1].startswith("Payment £12.00") and texts[1].endswith("deleted.")


def test_months_clamp_to_the_end_of_the_month():
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
