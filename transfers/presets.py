"""Column names of other tools' CSV exports (contacts), keyed by folded header.

Only headers the general synonyms (transfers.mapping) would miss or get wrong need to
be listed. docs/transfers.md says which lists are published and which are guesses.
"""

from __future__ import annotations

from transfers.mapping import fold

_RAW: dict[str, dict[str, str]] = {
    # Published: Google Contacts' "Google CSV" export (2024 layout and the older one).
    "Google Contacts CSV": {
        "First Name": "first_name", "Last Name": "last_name", "Given Name": "first_name",
        "Family Name": "last_name", "Name": "full_name", "Organization Name": "company",
        "Organization 1 - Name": "company", "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "email_2", "E-mail 3 - Value": "email_3",
        "Phone 1 - Value": "phone", "Phone 2 - Value": "phone_2", "Phone 3 - Value": "phone_3",
        "Address 1 - Street": "address_line1", "Address 1 - City": "city",
        "Address 1 - Region": "region", "Address 1 - Postal Code": "postcode",
        "Address 1 - Country": "country", "Labels": "tags", "Group Membership": "tags",
        "Notes": "notes",
    },
    # Published: Outlook's CSV export ("Export to a file → Comma Separated Values").
    "Outlook CSV": {
        "First Name": "first_name", "Last Name": "last_name", "Company": "company",
        "E-mail Address": "email", "E-mail 2 Address": "email_2", "E-mail 3 Address": "email_3",
        "Mobile Phone": "phone", "Home Phone": "phone_2", "Business Phone": "phone_3",
        "Home Street": "address_line1", "Home Street 2": "address_line2", "Home City": "city",
        "Home State": "region", "Home Postal Code": "postcode",
        "Home Country/Region": "country", "Categories": "tags", "Notes": "notes",
    },
    # Guesses from the tools' field names (no published export layout):
    "Light Blue": {
        "Client First Name": "first_name", "Client Surname": "last_name",
        "Partner First Name": "", "Email Address": "email", "Mobile": "phone",
        "Home Phone": "phone_2", "Work Phone": "phone_3", "Address Line 1": "address_line1",
        "Address Line 2": "address_line2", "Town": "city", "County": "region",
        "Postcode": "postcode", "Country": "country", "Notes": "notes", "Source": "source",
        "Date Added": "created_date", "Client Tags": "tags",
    },
    "HoneyBook": {
        "Full Name": "full_name", "First Name": "first_name", "Last Name": "last_name",
        "Email": "email", "Phone": "phone", "Company": "company", "Address": "address_line1",
        "City": "city", "State": "region", "Zip": "postcode", "Country": "country",
        "Lead Source": "source", "Created On": "created_date", "Notes": "notes", "Tags": "tags",
    },
    "Dubsado": {
        "First Name": "first_name", "Last Name": "last_name", "Email": "email",
        "Phone": "phone", "Company": "company", "Address": "address_line1",
        "Address 2": "address_line2", "City": "city", "State": "region",
        "Zip Code": "postcode", "Country": "country", "Lead Source": "source",
        "Date Added": "created_date", "Tags": "tags", "Notes": "notes",
    },
    "Studio Ninja": {
        "Client First Name": "first_name", "Client Last Name": "last_name",
        "Client Email": "email", "Client Phone": "phone", "Client Mobile": "phone_2",
        "Street Address": "address_line1", "Suburb": "city", "State": "region",
        "Postcode": "postcode", "Country": "country", "Lead Source": "source",
        "Created": "created_date", "Notes": "notes",
    },
    "Táve": {
        "First Name": "first_name", "Last Name": "last_name", "Company": "company",
        "Email": "email", "Mobile Phone": "phone", "Home Phone": "phone_2",
        "Work Phone": "phone_3", "Address": "address_line1", "Address 2": "address_line2",
        "City": "city", "State": "region", "Postal Code": "postcode", "Country": "country",
        "Lead Source": "source", "Created": "created_date", "Notes": "notes", "Tags": "tags",
    },
    "17hats": {
        "First Name": "first_name", "Last Name": "last_name", "Company": "company",
        "Email": "email", "Phone": "phone", "Mobile": "phone_2", "Street": "address_line1",
        "City": "city", "State": "region", "Zip": "postcode", "Country": "country",
        "Lead Source": "source", "Date Added": "created_date", "Notes": "notes",
        "Tags": "tags",
    },
}  # fmt: skip

PUBLISHED = ("Google Contacts CSV", "Outlook CSV")
PRESETS: dict[str, dict[str, str]] = {
    name: {fold(header): field for header, field in columns.items()}
    for name, columns in _RAW.items()
}
