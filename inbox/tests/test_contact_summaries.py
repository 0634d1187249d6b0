from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.services import create_contact
from inbox.contact_summaries import contact_summaries
from sales.services import LineInput, SaleInput, create_sale
from testkit.factories import make_shoot as shoot


def namesakes(studio, n):
    people = []
    for i in range(n):
        person = create_contact(
            studio=studio,
            first_name="Ava",
            last_name="Evans",
            emails=[f"ava{i}@example.com"],
            phones=[f"+44 20 7946 {i:04d}"],
            addresses=[{"line1": f"{i} Low Rd", "city": f"Town {i}", "postcode": f"E{i} 6AN"}],
        )
        shoot(studio, person, f"Old {i}", datetime(2025, 1, 1, tzinfo=UTC))
        shoot(studio, person, f"New {i}", datetime(2026, 1, 1 + i, tzinfo=UTC))
        for day in (1, 2):
            create_sale(
                studio=studio,
                data=SaleInput(
                    contact=person,
                    sale_date=date(2026, 3, day + i),
                    currency="GBP",
                    lines=[
                        LineInput(
                            description="Print",
                            product_kind="print",
                            quantity=1,
                            unit_price_minor=1000 * day,
                        )
                    ],
                ),
            )
        people.append(person)
    return people


def queries_for(studio, contacts) -> int:
    with CaptureQueriesContext(connection) as captured:
        contact_summaries(studio=studio, contacts=contacts)
    return len(captured)


@pytest.mark.django_db
def test_each_summary_is_the_contacts_own_latest(studio):
    people = namesakes(studio, 3)
    summaries = contact_summaries(studio=studio, contacts=people)
    for i, person in enumerate(people):
        summary = summaries[person.pk]
        assert (summary.email, summary.phone) == (f"ava{i}@example.com", f"+44 20 7946 {i:04d}")
        assert (summary.town, summary.postcode) == (f"Town {i}", f"E{i} 6AN")
        assert summary.last_shoot.title == f"New {i}"
        assert summary.last_sale.sale_date == date(2026, 3, 2 + i)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_candidates(studio, other_studio_and_owner):
    people = namesakes(studio, 10)
    assert queries_for(studio, people[:2]) == queries_for(studio, people) == 6
    other_studio = other_studio_and_owner[0]
    assert contact_summaries(studio=other_studio, contacts=people) == {}  # scoped by studio
