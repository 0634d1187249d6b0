"""Sale, payment and refund dates outside 1900-01-01 … 2200-12-31 are refused by the forms
and the services; the sales report never meets one (#10.2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sales.models import Sale
from sales.services import PaymentInput, SaleInput, create_sale
from sales.tests.test_views import sale_post
from testkit.factories import line

pytestmark = pytest.mark.django_db
OUTSIDE = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01"]


@pytest.mark.parametrize("day", OUTSIDE)
def test_the_sale_form_refuses_a_date_outside_the_range(auth_client, contact, day):
    response = auth_client.post(reverse("sales:create"), sale_post(contact, sale_date=day))
    assert response.status_code == 200
    assert "outside the dates Cyan accepts (1900-01-01 to 2200-12-31)" in response.content.decode()
    assert not Sale.objects.exists()
    assert auth_client.get("/reports/sales/").status_code == 200


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), "9999-12-31"])
def test_the_services_refuse_a_sale_or_payment_outside_the_range(studio, contact, day):
    with pytest.raises(ValidationError) as info:
        create_sale(
            studio=studio,
            data=SaleInput(contact=contact, sale_date=day, currency="GBP", lines=[line()]),
        )
    assert "sale_date" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        create_sale(
            studio=studio,
            data=SaleInput(
                contact=contact,
                sale_date=dt.date(2026, 5, 1),
                currency="GBP",
                lines=[line()],
                payments=[PaymentInput(amount_minor=100, paid_on=day)],
            ),
        )
    assert "payments" in info.value.message_dict
    assert not Sale.objects.exists()


def test_the_list_filter_refuses_a_date_outside_the_range(auth_client, studio, contact):
    create_sale(
        studio=studio,
        data=SaleInput(
            contact=contact, sale_date=dt.date(2026, 5, 1), currency="GBP", lines=[line()]
        ),
    )
    response = auth_client.get(reverse("sales:list"), {"date_from": "0001-01-01"})
    assert response.status_code == 200
    assert "outside the dates Cyan accepts" in response.content.decode()
