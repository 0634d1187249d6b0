"""/api/v1: payment schedule, payments (add, change, delete)."""

import datetime as dt

import pytest

from invoicing import schedules
from sales.models import SaleAudit
from testkit.factories import line

pytestmark = pytest.mark.django_db
WEDDING = dt.datetime(2026, 9, 12, 14, tzinfo=dt.UTC)


def due(offset, unit, relative_to):
    return {"offset": offset, "unit": unit, "relative_to": relative_to}


PLAN = {
    "instalments": [
        {"kind": "percent", "percent": 25, "due": due(0, "days", "invoice_date")},
        {"kind": "percent", "percent": 50, "due": due(-4, "weeks", "shoot_date")},
        {"kind": "remaining", "due": due(0, "days", "shoot_date")},
    ]
}


@pytest.fixture
def sale(make_sale, make_shoot, contact):
    shoot = make_shoot(contact, title="Wedding", starts_at=WEDDING, shoot_type="wedding")
    return make_sale(shoot=shoot, lines=[line("package", 200000)], sale_date=dt.date(2026, 5, 1))


def test_put_a_schedule_and_read_it_on_the_sale(api, sale):
    response = api.client.put(
        f"/api/v1/sales/{sale.pk}/payment-schedule",
        PLAN,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.key}"},
    )
    assert response.status_code == 200, response.content
    rows = api.get(f"/api/v1/sales/{sale.pk}").json()["payment_schedule"]
    assert [(r["amount_minor"], r["due_on"], r["paid_minor"]) for r in rows] == [
        (50000, "2026-05-01", 0),
        (100000, "2026-08-15", 0),
        (50000, "2026-09-12", 0),
    ]


def test_a_template_id_is_applied_and_a_bad_schedule_refused(api, studio, sale):
    template, _ = schedules.save_template(studio=studio, name="W", steps=PLAN["instalments"])
    put = api.client.put
    auth = {"Authorization": f"Bearer {api.key}"}
    ok = put(
        f"/api/v1/sales/{sale.pk}/payment-schedule",
        {"template_id": template.pk},
        content_type="application/json",
        headers=auth,
    )
    assert ok.status_code == 200 and len(ok.json()["payment_schedule"]) == 3
    bad = {
        "instalments": [{"kind": "percent", "percent": 150, "due": PLAN["instalments"][0]["due"]}]
    }
    refused = put(
        f"/api/v1/sales/{sale.pk}/payment-schedule",
        bad,
        content_type="application/json",
        headers=auth,
    )
    assert refused.status_code == 422
    assert sale.instalments.count() == 3  # nothing lost


def test_pay_the_next_instalment_then_change_and_delete_it(api, sale):
    schedules.set_schedule(sale=sale, instalments=PLAN["instalments"])
    created = api.post(
        f"/api/v1/sales/{sale.pk}/payments",
        {"instalment": "next", "method": "card", "paid_on": "2026-05-02"},
    )
    assert created.status_code == 201, created.content
    payment = created.json()
    assert payment["amount_minor"] == 50000
    path = f"/api/v1/sales/{sale.pk}/payments/{payment['id']}"
    changed = api.patch(path, {"amount_minor": 60000})
    assert changed.status_code == 200 and changed.json()["amount_minor"] == 60000
    rows = api.get(f"/api/v1/sales/{sale.pk}").json()["payment_schedule"]
    assert [r["paid_minor"] for r in rows] == [50000, 10000, 0]
    deleted = api.client.delete(path, headers={"Authorization": f"Bearer {api.key}"})
    assert deleted.status_code == 204
    assert api.get(f"/api/v1/sales/{sale.pk}").json()["paid_minor"] == 0
    assert SaleAudit.objects.filter(sale=sale).count() == 2


def test_an_amount_and_an_instalment_together_are_refused(api, sale):
    response = api.post(
        f"/api/v1/sales/{sale.pk}/payments", {"instalment": "outstanding", "amount_minor": 5}
    )
    assert response.status_code == 422
    assert not sale.payments.exists()


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_payment_deleted_while_the_request_runs_is_a_404_not_a_500(
    api, sale, monkeypatch, method
):
    """Two clients deleting (or one changing, one deleting) the same payment at once: the
    one that loses the race finds the payment gone inside the service."""
    from api.routers import payments as router
    from sales.models import Payment
    from sales.services import add_payment

    payment = add_payment(sale=sale, amount_minor=1000, paid_on=dt.date(2026, 5, 2))
    found = router._payment

    def found_then_deleted_by_another_client(*args):
        row = found(*args)
        Payment.objects.filter(pk=row.pk).delete()
        return row

    monkeypatch.setattr(router, "_payment", found_then_deleted_by_another_client)
    url = f"/api/v1/sales/{sale.pk}/payments/{payment.pk}"
    response = api.patch(url, {"amount_minor": 500}) if method == "patch" else api.delete(url)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found", response.json()
