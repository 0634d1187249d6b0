"""SaleInput: the one value a new sale is made from."""

import dataclasses
import datetime as dt

import pytest

from sales.models import Sale
from sales.services import SaleInput, create_sale
from testkit.factories import line

pytestmark = pytest.mark.django_db


def test_its_defaults_are_the_sale_models_defaults(studio, contact):
    data = SaleInput(contact=contact, sale_date=dt.date(2026, 5, 1), currency="GBP", lines=[line()])
    sale = create_sale(studio=studio, data=data)
    for name, value in data.column_values().items():
        field = Sale._meta.get_field(name)
        if field.has_default():
            assert field.get_default() == value, name
        assert getattr(sale, name) == value, name


def test_every_column_it_carries_is_a_sale_field():
    columns = {f.name for f in dataclasses.fields(SaleInput)} - SaleInput.RELATED
    assert columns <= {f.name for f in Sale._meta.get_fields()}


def test_but_changes_a_copy(contact):
    data = SaleInput(contact=contact, sale_date=dt.date(2026, 5, 1), currency="GBP", lines=[])
    changed = data.but(notes="later")
    assert (data.notes, changed.notes) == ("", "later")
