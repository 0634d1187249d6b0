import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts import selectors, services
from contacts.models import Contact
from testkit.factories import at


@pytest.fixture
def people(studio):
    make = services.create_contact
    return {
        "jane": make(
            studio=studio,
            first_name="Jane",
            last_name="Smith",
            emails=["Jane.Smith@Example.com"],
            phones=["07700 900123"],
        ),
        "jose": make(studio=studio, first_name="José", last_name="Müller", company="Lumen Ltd"),
        "ivan": make(
            studio=studio, first_name="Иван", last_name="Петров", phones=["+1 415 555 2671"]
        ),
        "acme": make(studio=studio, company="Acme Weddings", emails=["hello@acme.example"]),
    }


def found(studio, query):
    return {c.display_name for c in selectors.contact_list(studio=studio, query=query)}


class TestContactList:
    def test_without_query_lists_the_studio_contacts(self, studio, people, studio_factory):
        other, _ = studio_factory()
        services.create_contact(studio=other, first_name="Jane", last_name="Smith")
        assert selectors.contact_list(studio=studio).count() == 4
        assert found(studio, "   ") == {"Jane Smith", "José Müller", "Иван Петров", "Acme Weddings"}

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("jane", {"Jane Smith"}),
            ("SMITH", {"Jane Smith"}),
            ("smith jane", {"Jane Smith"}),  # every word, any order
            ("jose muller", {"José Müller"}),  # accents folded
            ("Müller", {"José Müller"}),
            ("ivan", {"Иван Петров"}),  # other scripts transliterated
            ("Петров", {"Иван Петров"}),
            ("lumen", {"José Müller"}),  # company
            ("acme wedd", {"Acme Weddings"}),
            ("jane jose", set()),
        ],
    )
    def test_name_and_company(self, studio, people, query, expected):
        assert found(studio, query) == expected

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("JANE.SMITH@example.com", {"Jane Smith"}),  # whole address, normalized
            ("hello@acme", {"Acme Weddings"}),  # part of an address
            ("example.com", {"Jane Smith"}),
            ("nobody@example.com", set()),
        ],
    )
    def test_email(self, studio, people, query, expected):
        assert found(studio, query) == expected

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("+447700900123", {"Jane Smith"}),  # E.164
            ("07700 900123", {"Jane Smith"}),  # national format, read in the studio's country
            ("+44 7700 900 123", {"Jane Smith"}),
            ("900123", {"Jane Smith"}),  # part of the number
            ("(415) 555-2671", {"Иван Петров"}),  # as typed, not in the studio's country
            ("4155552671", {"Иван Петров"}),
            ("123", set()),  # too few digits to mean anything
            ("5550000", set()),
        ],
    )
    def test_phone(self, studio, people, query, expected):
        assert found(studio, query) == expected

    def test_search_is_scoped_by_studio(self, studio, people, studio_factory):
        other, _ = studio_factory()
        theirs = services.create_contact(
            studio=other, first_name="Jane", last_name="Smith", emails=["jane.smith@example.com"]
        )
        for query in ("jane", "jane.smith@example.com", "07700 900123"):
            assert theirs not in selectors.contact_list(studio=studio, query=query)
            assert people["jane"] not in selectors.contact_list(studio=other, query=query)

    def test_each_match_listed_once(self, studio):
        services.create_contact(
            studio=studio,
            first_name="Ann",
            emails=["ann@example.com", "ann.work@example.com"],
            phones=["07700 900111", "07700 900112"],
        )
        assert selectors.contact_list(studio=studio, query="ann").count() == 1
        assert selectors.contact_list(studio=studio, query="07700 9001").count() == 1

    def test_filtering_happens_in_one_query(self, studio, people):
        with CaptureQueriesContext(connection) as queries:
            list(selectors.contact_list(studio=studio, query="jane.smith@example.com"))
        assert len(queries) == 1


class TestContactTable:
    def test_primary_email_and_phone(self, studio, people):
        rows = {c.pk: c for c in selectors.contact_table(studio=studio)}
        jane = rows[people["jane"].pk]
        assert (jane.primary_email, jane.primary_phone) == (
            "Jane.Smith@Example.com",
            "07700 900123",
        )
        assert rows[people["jose"].pk].primary_email is None

    def test_query_count_does_not_grow_with_rows(self, studio, people):
        with CaptureQueriesContext(connection) as queries:
            for contact in selectors.contact_table(studio=studio):
                list(contact.tags.all())
        assert len(queries) == 2  # contacts (with primary email/phone), then their tags


class TestGetContact:
    def test_own_contact(self, studio, people):
        assert selectors.get_contact(studio=studio, pk=people["jane"].pk) == people["jane"]

    def test_another_studios_contact_does_not_exist(self, people, other_studio_and_owner):
        with pytest.raises(Contact.DoesNotExist):
            selectors.get_contact(studio=other_studio_and_owner[0], pk=people["jane"].pk)


class TestContactDetail:
    def test_shoots_and_sales_newest_first(self, studio, people, make_shoot, make_sale):
        import datetime as dt

        jane = people["jane"]
        older = make_shoot(jane, title="Engagement", starts_at=at(2025, 5, 1))
        newer = make_shoot(jane, title="Wedding", starts_at=at(2026, 6, 1), role="partner")
        make_shoot(people["jose"], title="Not hers", starts_at=at(2026, 7, 1))
        first_sale = make_sale(jane, sale_date=dt.date(2025, 1, 1))
        last_sale = make_sale(jane, sale_date=dt.date(2026, 1, 1))

        contact = selectors.contact_detail(studio=studio, pk=jane.pk)
        with CaptureQueriesContext(connection) as queries:
            shoots = [(link.shoot, link.role) for link in contact.shoot_rows]
            sales = list(contact.sale_rows)
            details = [contact.emails.all(), contact.phones.all(), contact.addresses.all()]
            [list(d) for d in details]
            list(contact.tags.all())
        assert len(queries) == 0  # everything was prefetched
        assert shoots == [(newer, "partner"), (older, "client")]
        assert sales == [last_sale, first_sale]

    def test_another_studios_contact_does_not_exist(self, people, other_studio_and_owner):
        with pytest.raises(Contact.DoesNotExist):
            selectors.contact_detail(studio=other_studio_and_owner[0], pk=people["jane"].pk)
