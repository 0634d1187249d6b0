"""sales.selectors: filters, studio scoping, totals per currency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from contacts.models import Contact
from sales import selectors
from sales.services import cancel_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(make_sale, contact, other_contact, shoot):
    return {
        "may_usd": make_sale(sale_date=dt.date(2026, 5, 1), shoot=shoot),
        "jun_usd": make_sale(
            sale_date=dt.date(2026, 6, 1),
            contact=other_contact,
            source="pictime",
            external_ref="PT-77",
            gallery_name="Hopper wedding",
        ),
        "jun_jpy": make_sale(
            sale_date=dt.date(2026, 6, 15), currency="JPY", lines=[line(unit_price_minor=5000)]
        ),
        "jul_bhd": make_sale(
            sale_date=dt.date(2026, 7, 1), currency="BHD", lines=[line(unit_price_minor=1234)]
        ),
    }


def ids(queryset) -> list[int]:
    return [sale.pk for sale in queryset]


def test_sale_list_filters(studio, sales, contact, other_contact):
    newest_first = [sales[k].pk for k in ("jul_bhd", "jun_jpy", "jun_usd", "may_usd")]
    assert ids(selectors.sale_list(studio=studio)) == newest_first
    june = selectors.sale_list(
        studio=studio, date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 15)
    )
    assert ids(june) == [sales["jun_jpy"].pk, sales["jun_usd"].pk]
    assert ids(selectors.sale_list(studio=studio, source="pictime")) == [sales["jun_usd"].pk]
    assert ids(selectors.sale_list(studio=studio, contact=other_contact)) == [sales["jun_usd"].pk]
    assert ids(selectors.sale_list(studio=studio, contact=other_contact.pk)) == [
        sales["jun_usd"].pk
    ]
    assert ids(selectors.sale_list(studio=studio, query="hopper")) == [sales["jun_usd"].pk]
    assert ids(selectors.sale_list(studio=studio, query="pt-77")) == [sales["jun_usd"].pk]
    adas = [sales[k].pk for k in ("jul_bhd", "jun_jpy", "may_usd")]
    assert ids(selectors.sale_list(studio=studio, query="ada lovelace")) == adas


def test_everything_is_scoped_by_studio(studio, sales, other_studio_and_owner):
    other = other_studio_and_owner[0]
    assert not selectors.sale_list(studio=other).exists()
    with pytest.raises(Http404):
        selectors.get_sale(studio=other, pk=sales["may_usd"].pk)
    with pytest.raises(Http404):
        selectors.sale_detail(studio=other, pk=sales["may_usd"].pk)
    assert selectors.sale_detail(studio=studio, pk=sales["may_usd"].pk) == sales["may_usd"]
    assert selectors.contact_for_studio(studio=other, pk=sales["may_usd"].contact_id) is None
    assert selectors.contact_for_studio(studio=studio, pk="nonsense") is None


def test_sales_for_contact_and_shoot(studio, sales, contact, shoot):
    assert set(ids(selectors.sales_for_contact(studio=studio, contact=contact))) == {
        sales["may_usd"].pk,
        sales["jun_jpy"].pk,
        sales["jul_bhd"].pk,
    }
    assert ids(selectors.sales_for_shoot(studio=studio, shoot=shoot)) == [sales["may_usd"].pk]


def test_totals_by_currency_never_mixes_currencies(studio, sales, make_sale):
    make_sale(currency="JPY", lines=[line(unit_price_minor=700)])
    rows = selectors.totals_by_currency(selectors.sale_list(studio=studio))
    assert rows == [
        {
            "currency": "BHD",
            "count": 1,
            "total_minor": 1234,
            "refunded_minor": 0,
            "net_minor": 1234,
        },
        {
            "currency": "JPY",
            "count": 2,
            "total_minor": 5700,
            "refunded_minor": 0,
            "net_minor": 5700,
        },
        {
            "currency": "USD",
            "count": 2,
            "total_minor": 2000,
            "refunded_minor": 0,
            "net_minor": 2000,
        },
    ]


def test_totals_by_currency_follows_the_filtered_queryset(studio, sales):
    cancel_sale(sale=sales["jun_usd"])
    active = selectors.sale_list(studio=studio, status="active", date_from=dt.date(2026, 6, 1))
    assert [(r["currency"], r["count"]) for r in selectors.totals_by_currency(active)] == [
        ("BHD", 1),
        ("JPY", 1),
    ]
    assert selectors.totals_by_currency(selectors.sale_list(studio=studio, source="api")) == []


def test_shoots_for_sale_form_lists_the_contacts_shoots(studio, shoot, other_contact):
    assert list(selectors.shoots_for_sale_form(studio=studio)) == [shoot]
    assert list(selectors.shoots_for_sale_form(studio=studio, contact=other_contact)) == []
    assert isinstance(selectors.contacts_for_sale_form(studio=studio).first(), Contact)
