from datetime import UTC, datetime

import pytest
from django.urls import reverse

from contacts.models import Contact
from contacts.services import create_contact
from inbox.models import InboxItem
from inbox.tests.test_importing import receive, shoot
from sales.models import Sale


@pytest.fixture
def ada(studio):
    return create_contact(
        studio=studio, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )


@pytest.mark.django_db
def test_window_shows_the_match_its_reason_and_preselects_the_recent_shoot(
    auth_client, studio, ada
):
    shoot(studio, ada, "Spring portraits", datetime(2026, 3, 1, tzinfo=UTC))
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    detail = auth_client.get(reverse("inbox:detail", args=[item.pk])).content.decode()
    assert "Import Order" in detail
    body = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    assert "Matched to <strong>Ada Lovelace</strong>" in body and "same email" in body
    assert f'value="{recent.pk}" checked' in body
    assert "Spring portraits" in body and "Don't link to a shoot" in body
    assert "New phone: +44 20 7946 0958" in body


@pytest.mark.django_db
def test_import_post_creates_the_sale_and_goes_to_it(auth_client, studio, ada):
    recent = shoot(studio, ada, "Family day", datetime(2026, 4, 20, tzinfo=UTC))
    item = receive(studio)
    response = auth_client.post(
        reverse("inbox:import", args=[item.pk]),
        {"contact": ada.pk, "shoot": recent.pk, "add_details": ["phone"]},
    )
    sale = Sale.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "sales:detail", args=[sale.pk]
    )
    assert (sale.contact, sale.shoot) == (ada, recent)
    assert ada.phones.exists()


@pytest.mark.django_db
def test_unknown_client_without_the_option_is_refused_with_a_message(auth_client, studio):
    studio.create_contact_on_import = False
    studio.save()
    item = receive(studio, first_name="Zed", last_name="Quux", email="zed@example.org")
    page = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    assert "No contact matches this client" in page
    assert 'name="create_contact" >' in page or 'name="create_contact">' in page  # unticked
    response = auth_client.post(reverse("inbox:import", args=[item.pk]), {"contact": ""})
    assert response.status_code == 200 and "Create a new contact" in response.content.decode()
    assert not Sale.objects.exists()
    auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": "", "create_contact": "on"}
    )
    assert Contact.objects.get().last_name == "Quux" and Sale.objects.count() == 1


@pytest.mark.django_db
def test_none_of_these_with_create_makes_a_new_contact_even_when_one_matches(
    auth_client, studio, ada
):
    item = receive(studio)
    auth_client.post(
        reverse("inbox:import", args=[item.pk]), {"contact": "", "create_contact": "on"}
    )
    assert Contact.objects.count() == 2 and Sale.objects.get().contact != ada


@pytest.mark.django_db
def test_search_lists_other_contacts(auth_client, studio, ada):
    create_contact(studio=studio, first_name="Grace", last_name="Hopper")
    item = receive(studio)
    body = auth_client.get(
        reverse("inbox:import", args=[item.pk]), {"q": "Hopper"}
    ).content.decode()
    assert "Grace Hopper" in body and "(search result)" in body


@pytest.mark.django_db
def test_unimport_asks_then_deletes_the_sale(auth_client, studio, ada):
    item = receive(studio)
    auth_client.post(reverse("inbox:import", args=[item.pk]), {"contact": ada.pk})
    assert (
        "The sale is deleted"
        in auth_client.get(reverse("inbox:unimport", args=[item.pk])).content.decode()
    )
    auth_client.post(reverse("inbox:unimport", args=[item.pk]))
    assert not Sale.objects.exists() and InboxItem.objects.get().state == "new"


@pytest.mark.django_db
def test_bulk_import_from_the_list(auth_client, studio, ada):
    certain = receive(studio, 1)
    unknown = receive(studio, 2, first_name="Zed", last_name="Quux", email="zed@example.org")
    response = auth_client.post(
        reverse("inbox:bulk_import"), {"items": [certain.pk, unknown.pk]}, follow=True
    )
    body = response.content.decode()
    assert "Imported 1 order(s)" in body and "Left PT-0002 for review" in body
    assert InboxItem.objects.get(pk=certain.pk).state == "imported"
    assert InboxItem.objects.get(pk=unknown.pk).state == "new"


@pytest.mark.django_db
def test_duplicate_contacts_revealed_by_the_match_can_be_merged_from_the_window(
    auth_client, studio, ada
):
    twin = create_contact(
        studio=studio, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
    )
    item = receive(studio)
    body = auth_client.get(reverse("inbox:import", args=[item.pk])).content.decode()
    merge_url = reverse("contacts:merge_with", args=[ada.pk, twin.pk])
    assert "look like the same person" in body
    assert f"{merge_url}?next=/inbox/{item.pk}/import/" in body
