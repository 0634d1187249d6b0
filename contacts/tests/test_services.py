import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from contacts import services
from contacts.models import Contact, ContactAddress, ContactEmail, ContactPhone, Tag


def error_params(exc: ValidationError, name: str) -> list[dict]:
    return [e.params for e in exc.error_dict[name]]


def nothing_saved() -> bool:
    return not any(
        m.objects.exists() for m in (Contact, ContactEmail, ContactPhone, ContactAddress, Tag)
    )


class TestCreateContact:
    def test_stores_details_with_their_keys(self, studio):
        contact = services.create_contact(
            studio=studio,
            first_name="  José ",
            last_name="Müller",
            company="Lumen  Ltd",
            notes="Prefers mornings.\n",
            source=Contact.Source.REFERRAL,
            emails=["Jose.Muller@Example.COM", {"email": "jm@work.example", "label": "work"}],
            phones=["07700 900123", {"raw": "+1 415 555 2671", "label": "US"}],
            addresses=[{"line1": "1 High St", "city": "Bath", "postcode": "ba1 1aa"}],
            tags=["wedding", " VIP ", "vip", ""],
        )
        contact.refresh_from_db()
        assert (contact.first_name, contact.last_name, contact.company) == (
            "José",
            "Müller",
            "Lumen Ltd",
        )
        assert contact.notes == "Prefers mornings."
        assert contact.source == "referral"
        assert contact.name_key == "jose muller"
        assert contact.surname_key == "MLR|j"
        emails = list(contact.emails.values_list("email", "email_normalized", "is_primary"))
        assert emails == [
            ("Jose.Muller@Example.COM", "jose.muller@example.com", True),
            ("jm@work.example", "jm@work.example", False),
        ]
        phones = list(contact.phones.values_list("raw", "e164", "label", "is_primary"))
        assert phones == [
            ("07700 900123", "+447700900123", "", True),  # studio is in GB
            ("+1 415 555 2671", "+14155552671", "US", False),
        ]
        address = contact.addresses.get()
        assert (address.city, address.postcode, address.postcode_key) == (
            "Bath",
            "ba1 1aa",
            "BA11AA",
        )
        assert sorted(contact.tags.values_list("name", flat=True)) == ["VIP", "wedding"]
        assert {e.studio_id for e in contact.emails.all()} == {studio.pk}

    def test_flagged_primary_wins_over_first(self, studio):
        contact = services.create_contact(
            studio=studio,
            first_name="Ada",
            emails=["a@example.com", {"email": "b@example.com", "is_primary": True}],
        )
        assert contact.emails.get(is_primary=True).email == "b@example.com"

    def test_duplicate_email_and_phone_kept_once(self, studio):
        contact = services.create_contact(
            studio=studio,
            first_name="Ada",
            emails=["ada@example.com", "ADA@example.com"],
            phones=["07700 900123", "+44 7700 900123"],
        )
        assert contact.emails.count() == 1
        assert contact.phones.count() == 1

    def test_email_alone_is_enough(self, studio):
        contact = services.create_contact(studio=studio, emails=["someone@example.com"])
        assert contact.display_name == "(no name)"

    def test_company_alone_is_enough(self, studio):
        assert services.create_contact(studio=studio, company="Acme").display_name == "Acme"

    def test_needs_name_company_or_email(self, studio):
        with pytest.raises(ValidationError) as exc:
            services.create_contact(studio=studio, notes="who?", phones=["07700 900123"])
        assert "name, a company or an email" in exc.value.message_dict[NON_FIELD_ERRORS][0]
        assert nothing_saved()

    def test_bad_email_and_phone_saves_nothing_and_points_at_the_items(self, studio):
        with pytest.raises(ValidationError) as exc:
            services.create_contact(
                studio=studio,
                first_name="Ada",
                emails=["ok@example.com", "not-an-email"],
                phones=["hello"],
                addresses=[{"line1": "x", "country": "XX"}],
                tags=["fine"],
            )
        assert error_params(exc.value, "emails") == [{"index": 1, "field": "email"}]
        assert "not-an-email" in exc.value.message_dict["emails"][0]
        assert error_params(exc.value, "phones") == [{"index": 0, "field": "number"}]
        assert "hello" in exc.value.message_dict["phones"][0]
        assert error_params(exc.value, "addresses") == [{"index": 0, "field": "country"}]
        assert nothing_saved()

    def test_user_input_with_percent_sign_in_message(self, studio):
        with pytest.raises(ValidationError) as exc:
            services.create_contact(studio=studio, first_name="A", emails=["100%@@x.com"])
        assert "100%@@x.com" in exc.value.message_dict["emails"][0]

    def test_too_long_fields_are_refused(self, studio):
        with pytest.raises(ValidationError) as exc:
            services.create_contact(studio=studio, first_name="x" * 101, tags=["t" * 61])
        assert "at most 100 characters" in exc.value.message_dict["first_name"][0]
        assert "tags" in exc.value.message_dict
        assert nothing_saved()

    def test_unknown_source_is_refused(self, studio):
        with pytest.raises(ValidationError) as exc:
            services.create_contact(studio=studio, first_name="A", source="carrier-pigeon")
        assert "source" in exc.value.message_dict

    def test_blank_entries_are_skipped(self, studio):
        contact = services.create_contact(
            studio=studio, first_name="A", emails=["", " "], phones=[""], addresses=[{}]
        )
        assert not contact.emails.exists()
        assert not contact.phones.exists()
        assert not contact.addresses.exists()

    def test_tag_reused_whatever_its_case(self, studio, other_studio_and_owner):
        other = other_studio_and_owner[0]
        services.create_contact(studio=studio, first_name="A", tags=["Wedding"])
        services.create_contact(studio=studio, first_name="B", tags=["wedding"])
        services.create_contact(studio=other, first_name="C", tags=["wedding"])
        assert list(Tag.objects.for_studio(studio).values_list("name", flat=True)) == ["Wedding"]
        assert Tag.objects.for_studio(other).count() == 1

    def test_unknown_item_field_is_a_programming_error(self, studio):
        with pytest.raises(TypeError, match="street"):
            services.create_contact(studio=studio, first_name="A", addresses=[{"street": "x"}])


class TestUpdateContact:
    @pytest.fixture
    def contact(self, studio):
        return services.create_contact(
            studio=studio,
            first_name="Jane",
            last_name="Smith",
            emails=["jane@example.com"],
            phones=["07700 900123"],
            addresses=[{"line1": "1 High St", "postcode": "BA1 1AA"}],
            tags=["wedding"],
        )

    def test_none_leaves_unchanged(self, contact):
        services.update_contact(contact=contact, company="Acme")
        contact.refresh_from_db()
        assert (contact.first_name, contact.company) == ("Jane", "Acme")
        assert contact.emails.count() == contact.phones.count() == 1
        assert list(contact.tags.values_list("name", flat=True)) == ["wedding"]

    def test_name_change_recomputes_keys(self, contact):
        services.update_contact(contact=contact, last_name="Петров")
        contact.refresh_from_db()
        assert (contact.name_key, contact.surname_key) == ("jane petrov", "PTRF|j")

    def test_lists_replace(self, contact):
        services.update_contact(
            contact=contact,
            emails=["new@example.com", "jane@example.com"],
            phones=[],
            addresses=[{"line1": "2 Low St", "postcode": "ec1a 1bb"}],
            tags=["vip"],
        )
        assert list(contact.emails.values_list("email", "is_primary")) == [
            ("new@example.com", True),
            ("jane@example.com", False),
        ]
        assert not contact.phones.exists()
        assert contact.addresses.get().postcode_key == "EC1A1BB"
        assert list(contact.tags.values_list("name", flat=True)) == ["vip"]

    def test_refused_update_changes_nothing(self, contact):
        with pytest.raises(ValidationError) as exc:
            services.update_contact(
                contact=contact, first_name="Janet", emails=["nope"], tags=["vip"]
            )
        assert "emails" in exc.value.message_dict
        assert contact.first_name == "Jane"  # the caller's object too
        contact.refresh_from_db()
        assert contact.first_name == "Jane"
        assert list(contact.emails.values_list("email", flat=True)) == ["jane@example.com"]
        assert list(contact.tags.values_list("name", flat=True)) == ["wedding"]

    def test_cannot_remove_everything_that_identifies(self, contact):
        with pytest.raises(ValidationError) as exc:
            services.update_contact(contact=contact, first_name="", last_name="", emails=[])
        assert NON_FIELD_ERRORS in exc.value.message_dict
        assert contact.emails.count() == 1

    def test_clearing_names_is_fine_when_an_email_stays(self, contact):
        services.update_contact(contact=contact, first_name="", last_name="")
        contact.refresh_from_db()
        assert (contact.name_key, contact.surname_key) == ("", "")


class TestDeleteContact:
    def test_deletes_contact_and_details_but_not_shoots(self, studio, make_shoot):
        from shoots.models import Shoot
        from testkit.factories import at

        contact = services.create_contact(
            studio=studio, first_name="A", emails=["a@example.com"], phones=["07700 900123"]
        )
        shoot = make_shoot(contact, title="Portraits", starts_at=at(2026, 1, 1))
        services.delete_contact(contact=contact)
        assert not Contact.objects.exists()
        assert not ContactEmail.objects.exists()
        assert not ContactPhone.objects.exists()
        assert Shoot.objects.filter(pk=shoot.pk).exists()

    def test_refused_when_sales_exist(self, studio, make_sale):
        contact = services.create_contact(studio=studio, first_name="Ada", last_name="Lovelace")
        make_sale(contact)
        make_sale(contact)
        with pytest.raises(services.ContactHasSales) as exc:
            services.delete_contact(contact=contact)
        assert exc.value.sale_count == 2
        assert "Ada Lovelace has 2 sales" in exc.value.messages[0]
        assert isinstance(exc.value, ValidationError)
        assert Contact.objects.filter(pk=contact.pk).exists()


class TestAddDetails:
    @pytest.fixture
    def contact(self, studio):
        return services.create_contact(studio=studio, first_name="Ada")

    def test_first_email_becomes_primary_and_repeat_is_a_no_op(self, contact):
        first = services.add_email(contact=contact, email="Ada@Example.com")
        again = services.add_email(contact=contact, email="ada@example.com", label="dup")
        assert first.is_primary
        assert again.pk == first.pk
        assert contact.emails.count() == 1

    def test_second_email_is_not_primary_unless_asked(self, contact):
        services.add_email(contact=contact, email="a@example.com")
        second = services.add_email(contact=contact, email="b@example.com")
        third = services.add_email(contact=contact, email="c@example.com", make_primary=True)
        assert not second.is_primary
        assert list(contact.emails.filter(is_primary=True)) == [third]

    def test_bad_email_raises_and_saves_nothing(self, contact):
        with pytest.raises(ValidationError) as exc:
            services.add_email(contact=contact, email="nope")
        assert "nope" in exc.value.message_dict["emails"][0]
        with pytest.raises(ValidationError):
            services.add_email(contact=contact, email="")
        assert not contact.emails.exists()

    def test_phone_compared_in_e164(self, contact):
        first = services.add_phone(contact=contact, number="07700 900123")
        again = services.add_phone(contact=contact, number="+44 (0)7700 900 123")
        assert again.pk == first.pk
        assert first.e164 == "+447700900123" and first.is_primary
        with pytest.raises(ValidationError):
            services.add_phone(contact=contact, number="garbage")
        assert contact.phones.count() == 1

    def test_address_compared_ignoring_case_spacing_and_label(self, contact):
        first = services.add_address(
            contact=contact, address={"line1": "1 High St", "postcode": "BA1 1AA", "country": "gb"}
        )
        again = services.add_address(
            contact=contact,
            address={"label": "home", "line1": "1  high st", "postcode": "ba11aa", "country": "GB"},
        )
        other = services.add_address(contact=contact, address={"line1": "2 High St"})
        assert again.pk == first.pk
        assert other.pk != first.pk
        assert first.country == "GB"
        with pytest.raises(ValidationError):
            services.add_address(contact=contact, address={"label": "only a label"})
        assert contact.addresses.count() == 2

    def test_a_blank_country_is_the_studios(self, contact):
        assert contact.studio.country == "GB"
        home = {"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA"}
        stored = services.add_address(contact=contact, address={**home, "country": "GB"})
        blank = services.add_address(contact=contact, address=home)  # no country: the studio's
        abroad = services.add_address(contact=contact, address={**home, "country": "FR"})
        assert blank.pk == stored.pk
        assert abroad.pk != stored.pk
        assert contact.addresses.count() == 2


@pytest.mark.parametrize(
    "had, numbers",
    [
        ([], ["07700 900123"]),
        ([], ["07700 900123", "+44 7700 900456"]),
        (["07700 900001"], ["07700 900123"]),
        (["07700 900001"], ["07700 900123", "07700900456", "+447700900789"]),
    ],
)
def test_add_phones_stores_what_add_phone_one_by_one_would(studio, had, numbers):
    """add_phones (an import's merge) against add_phone per number: the same rows, the
    same primary number, the contact touched."""

    def stored(contact):
        return sorted(contact.phones.values_list("e164", "is_primary", "raw"))

    one_by_one = services.create_contact(studio=studio, first_name="A", phones=had)
    for number in numbers:
        services.add_phone(contact=one_by_one, number=number)
    at_once = services.create_contact(studio=studio, first_name="B", phones=had)
    touched = at_once.updated_at
    rows = services.add_phones(contact=at_once, numbers=numbers, has_phone=bool(had))
    assert [r.pk for r in rows] == list(
        at_once.phones.filter(pk__in=[r.pk for r in rows])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert stored(at_once) == stored(one_by_one)
    at_once.refresh_from_db()
    assert at_once.updated_at > touched


def test_add_phones_writes_nothing_when_a_number_is_refused(studio):
    contact = services.create_contact(studio=studio, first_name="A")
    with pytest.raises(ValidationError):
        services.add_phones(
            contact=contact, numbers=["07700 900123", "not a phone"], has_phone=False
        )
    assert not contact.phones.exists()
