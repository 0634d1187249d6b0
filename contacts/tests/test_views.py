import datetime as dt

import pytest
from django.urls import reverse

from contacts import services
from contacts.models import Contact
from testkit.factories import at


def formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def contact_post(*, emails=(), phones=(), addresses=(), initial=(0, 0, 0), **fields) -> dict:
    data = {"first_name": "", "last_name": "", "company": "", "source": "manual", "tags": ""}
    data.update(fields)
    data.update(formset_data("emails", list(emails), initial[0]))
    data.update(formset_data("phones", list(phones), initial[1]))
    data.update(formset_data("addresses", list(addresses), initial[2]))
    return data


@pytest.fixture
def jane(studio):
    return services.create_contact(
        studio=studio,
        first_name="Jane",
        last_name="Smith",
        emails=["jane@example.com"],
        phones=["07700 900123"],
        addresses=[{"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA", "country": "GB"}],
        tags=["wedding"],
    )


@pytest.fixture
def theirs(other_studio_and_owner):
    return services.create_contact(
        studio=other_studio_and_owner[0], first_name="Not", last_name="Yours"
    )


class TestList:
    def test_requires_login(self, client):
        response = client.get(reverse("contacts:list"))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    def test_empty_state(self, auth_client):
        response = auth_client.get(reverse("contacts:list"))
        assert "Add your first contact" in response.text
        assert reverse("contacts:create") in response.text

    def test_table_shows_primary_details_and_tags(self, auth_client, jane, theirs):
        response = auth_client.get(reverse("contacts:list"))
        assert response.status_code == 200
        for text in ("Jane Smith", "jane@example.com", "07700 900123", "wedding"):
            assert text in response.text
        assert "Not Yours" not in response.text
        assert reverse("contacts:detail", kwargs={"pk": jane.pk}) in response.text

    def test_search(self, auth_client, studio, jane):
        services.create_contact(studio=studio, first_name="Bob", last_name="Jones")
        response = auth_client.get(reverse("contacts:list"), {"q": "+447700900123"})
        assert "Jane Smith" in response.text and "Bob Jones" not in response.text
        response = auth_client.get(reverse("contacts:list"), {"q": "zzz"})
        assert "No contacts match “zzz”" in response.text

    def test_pagination_fifty_per_page_keeps_the_query(self, auth_client, studio):
        for n in range(51):
            services.create_contact(studio=studio, first_name="Ann", last_name=f"Lee{n:02d}")
        first = auth_client.get(reverse("contacts:list"), {"q": "ann"})
        assert first.context["page_obj"].paginator.num_pages == 2
        assert len(first.context["page_obj"].object_list) == 50
        assert "?q=ann&page=2" in first.text
        second = auth_client.get(reverse("contacts:list"), {"q": "ann", "page": 2})
        assert [c.last_name for c in second.context["page_obj"]] == ["Lee50"]


class TestDetail:
    def test_shows_everything_with_shoots_and_sales(self, auth_client, jane, make_shoot, make_sale):
        shoot = make_shoot(
            jane, title="Summer wedding", starts_at=at(2026, 6, 1), status="confirmed"
        )
        make_sale(jane, total_minor=123_450, sale_date=dt.date(2026, 7, 1), source="pictime")
        response = auth_client.get(reverse("contacts:detail", kwargs={"pk": jane.pk}))
        assert response.status_code == 200
        for text in (
            "Jane Smith",
            "jane@example.com",
            "07700 900123",
            "1 High St",
            "BA1 1AA",
            "United Kingdom",
            "wedding",
            "Summer wedding",
            "Confirmed",
            "Client",
            "£1,234.50",
            "Pic-Time",
            "Active",
        ):
            assert text in response.text, text
        assert reverse("shoots:detail", kwargs={"pk": shoot.pk}) in response.text
        assert reverse("contacts:edit", kwargs={"pk": jane.pk}) in response.text
        assert reverse("contacts:delete", kwargs={"pk": jane.pk}) in response.text

    def test_another_studios_contact_is_404(self, auth_client, theirs):
        for name in ("contacts:detail", "contacts:edit", "contacts:delete"):
            response = auth_client.get(reverse(name, kwargs={"pk": theirs.pk}))
            assert response.status_code == 404, name
        response = auth_client.post(reverse("contacts:delete", kwargs={"pk": theirs.pk}))
        assert response.status_code == 404
        assert Contact.objects.filter(pk=theirs.pk).exists()


class TestCreate:
    def test_form_offers_blank_rows(self, auth_client):
        response = auth_client.get(reverse("contacts:create"))
        assert response.status_code == 200
        for prefix in ("emails", "phones", "addresses"):
            assert f'name="{prefix}-TOTAL_FORMS"' in response.text
            assert f'id="{prefix}-template"' in response.text
        # The blank address row shows the studio's country (GB) selected.
        assert '<option value="GB" selected>' in response.text

    def test_creates_with_formsets(self, auth_client, studio):
        data = contact_post(
            first_name="Ada",
            last_name="Lovelace",
            tags="vip, repeat client",
            emails=[{"email": "Ada@Example.com", "label": "home"}, {"email": ""}],
            phones=[{"number": "020 7946 0018"}, {"number": "07700 900123", "DELETE": "on"}],
            addresses=[
                {"line1": "12 St James's Sq", "postcode": "sw1y 4lb", "country": "GB"},
                {"country": "GB"},  # the untouched blank row
            ],
        )
        response = auth_client.post(reverse("contacts:create"), data)
        contact = Contact.objects.get(studio=studio)
        assert response.status_code == 302
        assert response["Location"] == reverse("contacts:detail", kwargs={"pk": contact.pk})
        assert contact.name_key == "ada lovelace"
        assert list(contact.emails.values_list("email_normalized", "label")) == [
            ("ada@example.com", "home")
        ]
        assert list(contact.phones.values_list("e164", flat=True)) == ["+442079460018"]
        assert contact.addresses.get().postcode_key == "SW1Y4LB"
        assert sorted(contact.tags.values_list("name", flat=True)) == ["repeat client", "vip"]
        followed = auth_client.get(response["Location"])
        assert "Contact Ada Lovelace added." in followed.text

    def test_bad_rows_show_errors_at_the_field_and_save_nothing(self, auth_client, studio):
        data = contact_post(
            first_name="Ada",
            emails=[{"email": "ada@example.com"}, {"email": "not an email"}],
            phones=[{"number": "", "label": ""}, {"number": "hello"}],
        )
        response = auth_client.post(reverse("contacts:create"), data)
        assert response.status_code == 200
        assert not Contact.objects.exists()
        emails, phones = response.context["emails"], response.context["phones"]
        assert emails.forms[0].errors == {}
        assert "not a valid email address" in emails.forms[1].errors["email"][0]
        assert "not a phone number" in phones.forms[1].errors["number"][0]
        assert 'id="id_emails-1-email_error"' in response.text
        assert "Nothing was saved" in response.text

    def test_needs_a_name_company_or_email(self, auth_client):
        response = auth_client.post(reverse("contacts:create"), contact_post(notes="?"))
        assert response.status_code == 200
        assert "name, a company or an email" in response.text
        assert not Contact.objects.exists()

    def test_field_too_long_is_shown_at_the_field(self, auth_client):
        response = auth_client.post(reverse("contacts:create"), contact_post(first_name="x" * 101))
        assert response.context["form"].errors["first_name"]
        assert not Contact.objects.exists()


class TestEdit:
    def test_form_is_filled_in(self, auth_client, jane):
        response = auth_client.get(reverse("contacts:edit", kwargs={"pk": jane.pk}))
        assert 'value="jane@example.com"' in response.text
        assert 'value="07700 900123"' in response.text
        assert 'value="wedding"' in response.text
        assert response.context["emails"].initial_form_count() == 1

    def test_edit_replaces_rows(self, auth_client, jane):
        data = contact_post(
            first_name="Jane",
            last_name="Smyth",
            tags="",
            emails=[
                {"email": "jane@example.com", "DELETE": "on"},
                {"email": "jane@new.example"},
            ],
            phones=[{"number": "07700 900123", "label": "mobile"}],
            addresses=[
                {"line1": "1 High St", "city": "Bath", "postcode": "BA1 1AA", "country": "GB"}
            ],
            initial=(1, 1, 1),
        )
        response = auth_client.post(reverse("contacts:edit", kwargs={"pk": jane.pk}), data)
        assert response.status_code == 302
        jane.refresh_from_db()
        assert jane.last_name == "Smyth"
        assert list(jane.emails.values_list("email", "is_primary")) == [("jane@new.example", True)]
        assert list(jane.phones.values_list("label", flat=True)) == ["mobile"]
        assert jane.addresses.count() == 1
        assert not jane.tags.exists()

    def test_error_on_a_saved_row_points_at_it(self, auth_client, jane):
        data = contact_post(
            first_name="Jane",
            last_name="Smith",
            emails=[{"email": "jane@example.com", "DELETE": "on"}, {"email": "broken@"}],
            phones=[{"number": "12"}],
            addresses=[{"line1": "1 High St", "country": "GB"}],
            initial=(1, 1, 1),
        )
        response = auth_client.post(reverse("contacts:edit", kwargs={"pk": jane.pk}), data)
        assert response.status_code == 200
        assert response.context["emails"].forms[1].errors["email"]
        assert response.context["phones"].forms[0].errors["number"]
        assert list(jane.emails.values_list("email", flat=True)) == ["jane@example.com"]
        assert list(jane.phones.values_list("raw", flat=True)) == ["07700 900123"]


class TestDelete:
    def test_confirmation_then_delete(self, auth_client, jane):
        url = reverse("contacts:delete", kwargs={"pk": jane.pk})
        page = auth_client.get(url)
        assert "Delete contact Jane Smith?" in page.text
        assert "Yes, delete" in page.text
        assert Contact.objects.filter(pk=jane.pk).exists()
        response = auth_client.post(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("contacts:list")
        assert not Contact.objects.filter(pk=jane.pk).exists()

    def test_refused_when_sales_exist(self, auth_client, jane, make_sale):
        make_sale(jane)
        url = reverse("contacts:delete", kwargs={"pk": jane.pk})
        page = auth_client.get(url)
        assert "Jane Smith has 1 sale, which would be left without a client" in page.text
        assert "Yes, delete" not in page.text
        response = auth_client.post(url)
        assert response.status_code == 409
        assert "Contacts with sales cannot be deleted" in response.text
        assert Contact.objects.filter(pk=jane.pk).exists()

    def test_confirmation_says_shoots_stay(self, auth_client, jane, make_shoot):
        make_shoot(jane, title="Portraits", starts_at=at(2026, 1, 1))
        page = auth_client.get(reverse("contacts:delete", kwargs={"pk": jane.pk}))
        assert "taken off their shoot; the shoot itself stays" in page.text
