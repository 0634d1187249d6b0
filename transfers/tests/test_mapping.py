"""Column → field proposals from header names (case, spaces, punctuation ignored), the
presets of other tools' exports, and what makes a mapping unusable."""

from __future__ import annotations

import pytest

from transfers import mapping
from transfers.presets import PRESETS, PUBLISHED


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("First Name", "first_name"), ("first", "first_name"), ("Given Name", "first_name"),
        ("FORENAME", "first_name"), ("Surname", "last_name"), ("family-name", "last_name"),
        ("E-mail Address", "email"), ("Email", "email"), ("e_mail", "email"),
        ("Mobile Phone", "phone"), ("Cell", "phone"), ("Zip", "postcode"),
        ("Postal Code", "postcode"), ("Town", "city"), ("State", "region"),
        ("Company Name", "company"), ("Tags", "tags"), ("Notes", "notes"),
        ("Date Added", "created_date"), ("Full Name", "full_name"), ("Favourite colour", ""),
    ],
)  # fmt: skip
def test_contact_headers(header, field):
    proposed = mapping.propose([header], "contacts")
    assert proposed.get("0", "") == field


def test_each_field_is_proposed_once_leftmost_first():
    assert mapping.propose(["Email", "E-mail Address", "Phone"], "contacts") == {
        "0": "email",
        "2": "phone",
    }


def test_sales_and_shoots_headers():
    assert mapping.propose(["Invoice Date", "Client Email", "Total", "Currency", "Invoice Number",
                            "Description"], "sales") == {
        "0": "date", "1": "email", "2": "amount", "3": "currency", "4": "reference",
        "5": "description",
    }  # fmt: skip
    assert mapping.propose(["Session Name", "Session Type", "Session Date", "Venue"], "shoots") == {
        "0": "title", "1": "shoot_type", "2": "date", "3": "location",
    }  # fmt: skip


def test_outlook_preset_maps_its_published_columns():
    headers = ["First Name", "Last Name", "E-mail Address", "E-mail 2 Address", "Mobile Phone",
               "Home Phone", "Home Street", "Home City", "Home Postal Code",
               "Home Country/Region", "Categories"]  # fmt: skip
    proposed = mapping.propose(headers, "contacts", PRESETS["Outlook CSV"])
    assert [proposed[str(i)] for i in range(len(headers))] == [
        "first_name", "last_name", "email", "email_2", "phone", "phone_2", "address_line1",
        "city", "postcode", "country", "tags",
    ]  # fmt: skip
    assert set(PUBLISHED) == {"Google Contacts CSV", "Outlook CSV"}


def test_a_preset_can_leave_a_column_out():
    proposed = mapping.propose(["Client First Name", "Partner First Name"], "contacts",
                               PRESETS["Light Blue"])  # fmt: skip
    assert proposed == {"0": "first_name"}


@pytest.mark.parametrize(
    ("kind", "chosen", "problem"),
    [
        ("contacts", {"0": "tags"}, "Map at least a name, company or email column."),
        ("contacts", {"0": "email", "1": "email"}, "Two columns are mapped to Email."),
        ("contacts", {"5": "email"}, "Column 5 does not exist."),
        ("sales", {"0": "amount"}, "Map the sale's date column."),
        ("shoots", {"0": "title"}, "Map at least a date column."),
        ("contacts", {"0": "amount"}, "“amount” is not a field of contacts."),
    ],
)
def test_unusable_mappings_say_why(kind, chosen, problem):
    assert problem in mapping.check(chosen, kind, column_count=2)
