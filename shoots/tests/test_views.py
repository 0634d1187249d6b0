import datetime as dt

import pytest
from django.urls import reverse

from shoots.models import Shoot
from testkit.factories import at

S = Shoot.Status
pytestmark = pytest.mark.django_db


def form_data(*rows, **fields) -> dict:
    """POST data for the shoot form: shoot fields plus (contact pk, role, delete) rows."""
    data = {
        "title": "Smith wedding",
        "shoot_type": "wedding",
        "status": "enquiry",
        "date": "2026-07-04",
        "time": "14:30",
        "location": "",
        "notes": "",
        "gallery_provider": "",
        "gallery_id": "",
        "gallery_url": "",
        "contacts-TOTAL_FORMS": str(len(rows)),
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        contact, role, *delete = row
        data[f"contacts-{i}-contact"] = str(contact)
        data[f"contacts-{i}-role"] = role
        if delete:
            data[f"contacts-{i}-DELETE"] = "on"
    return data | fields


@pytest.fixture
def london(studio):
    studio.time_zone = "Europe/London"
    studio.save()
    return studio


# --- list -----------------------------------------------------------------------------------


def test_list_requires_login(client):
    response = client.get(reverse("shoots:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_empty_list_invites_adding_one(auth_client):
    html = auth_client.get(reverse("shoots:list")).content.decode()
    assert "No shoots yet" in html
    assert reverse("shoots:create") in html


def test_list_shows_own_shoots_in_studio_time_with_clients(
    auth_client, london, other_studio, make_shoot, make_contact
):
    jane, john = make_contact("Jane", "Smith"), make_contact("John", "Smith")
    make_shoot(
        studio=london,
        title="Smith wedding",
        starts_at=at(2026, 7, 4, 13, 30),  # 14:30 in London (BST)
        contacts=[(jane, "client"), (john, "partner")],
    )
    make_shoot(studio=other_studio, title="Someone else's")
    html = auth_client.get(reverse("shoots:list")).content.decode()
    assert "Smith wedding" in html
    assert "Sat 4 Jul 2026, 14:30" in html
    assert 'class="status confirmed"' in html
    assert "Jane Smith" in html
    assert "(partner)" in html
    assert "Someone else" not in html


def test_list_filters_by_status_and_search(auth_client, make_shoot):
    make_shoot(title="Confirmed one", status=S.CONFIRMED)
    make_shoot(title="Enquiry one", status=S.ENQUIRY)
    html = auth_client.get(reverse("shoots:list"), {"status": "enquiry"}).content.decode()
    assert "Enquiry one" in html
    assert "Confirmed one" not in html
    html = auth_client.get(reverse("shoots:list"), {"q": "nothing-like-it"}).content.decode()
    assert "No shoots match these filters" in html


def test_list_reports_unparseable_dates_and_still_lists(auth_client, make_shoot):
    make_shoot(title="Still listed")
    response = auth_client.get(reverse("shoots:list"), {"date_from": "31/02/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date as YYYY-MM-DD" in html
    assert "Still listed" in html


def test_list_paginates(auth_client, make_shoot):
    for day in range(1, 53):
        make_shoot(title=f"Shoot {day:02d}", starts_at=at(2026, 1, 1) + dt.timedelta(days=day))
    html = auth_client.get(reverse("shoots:list")).content.decode()
    assert "Page 1 of 2" in html
    html = auth_client.get(reverse("shoots:list"), {"page": 2}).content.decode()
    assert "Shoot 01" in html
    assert "Shoot 52" not in html


# --- create / edit --------------------------------------------------------------------------


def test_create_with_contact_param_preselects_that_client(auth_client, make_contact):
    jane = make_contact()
    html = auth_client.get(reverse("shoots:create"), {"contact": jane.pk}).content.decode()
    assert f'<option value="{jane.pk}" selected>' in html


def test_create_ignores_another_studios_contact_param(auth_client, other_studio, make_contact):
    stranger = make_contact("Mallory", "Stranger", studio=other_studio)
    html = auth_client.get(reverse("shoots:create"), {"contact": stranger.pk}).content.decode()
    assert "Mallory" not in html
    first_row = html.split('name="contacts-0-contact"')[1].split("</select>")[0]
    assert '<option value="" selected>' in first_row


def test_create_saves_shoot_in_studio_time_and_redirects(auth_client, london, make_contact):
    jane, john = make_contact("Jane"), make_contact("John")
    response = auth_client.post(
        reverse("shoots:create"),
        form_data((jane.pk, "client"), (john.pk, "partner"), ("", "client")),
    )
    shoot = Shoot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("shoots:detail", args=[shoot.pk])
    assert shoot.studio == london
    assert shoot.starts_at == dt.datetime(2026, 7, 4, 13, 30, tzinfo=dt.UTC)
    assert dict(shoot.shoot_contacts.values_list("contact_id", "role")) == {
        jane.pk: "client",
        john.pk: "partner",
    }
    followed = auth_client.get(response["Location"]).content.decode()
    assert "Shoot “Smith wedding” added." in followed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2026-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"date": "next tuesday"}, "Enter a real date as YYYY-MM-DD"),
        ({"time": "25:99"}, "Enter a time as HH:MM"),
        ({"date": ""}, "This field is required."),
        ({"title": ""}, "This field is required."),
        ({"gallery_id": "g-1"}, "Choose which provider the gallery is on."),
        ({"gallery_url": "not a link"}, "Enter a valid URL."),
    ],
)
def test_create_shows_errors_and_saves_nothing(auth_client, fields, message):
    response = auth_client.post(reverse("shoots:create"), form_data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Shoot.objects.exists()


def test_create_refuses_a_time_skipped_by_daylight_saving(auth_client, london):
    # Clocks in London went from 01:00 to 02:00 on 29 March 2026.
    response = auth_client.post(
        reverse("shoots:create"), form_data(date="2026-03-29", time="01:30")
    )
    assert "does not exist on 29 Mar 2026 in Europe/London" in response.content.decode()
    assert not Shoot.objects.exists()


def test_create_refuses_a_contact_listed_twice(auth_client, make_contact):
    jane = make_contact()
    response = auth_client.post(
        reverse("shoots:create"), form_data((jane.pk, "client"), (jane.pk, "partner"))
    )
    assert "Each contact can be listed only once" in response.content.decode()
    assert not Shoot.objects.exists()


def test_create_refuses_another_studios_contact(auth_client, other_studio, make_contact):
    stranger = make_contact("Eve", studio=other_studio)
    response = auth_client.post(reverse("shoots:create"), form_data((stranger.pk, "client")))
    assert "Select a valid choice" in response.content.decode()
    assert not Shoot.objects.exists()


def test_create_shows_service_errors_at_the_field(auth_client, make_shoot):
    make_shoot(title="Has the gallery", gallery_provider="pictime", gallery_id="g-9")
    response = auth_client.post(
        reverse("shoots:create"), form_data(gallery_provider="pictime", gallery_id="g-9")
    )
    html = response.content.decode()
    assert 'id="id_gallery_id_error"' in html
    assert "already recorded on the shoot “Has the gallery”" in html
    assert Shoot.objects.count() == 1


def test_edit_shows_local_time_and_saves_changes(auth_client, london, make_shoot, make_contact):
    jane, john, kid = make_contact("Jane"), make_contact("John"), make_contact("Kid")
    shoot = make_shoot(
        studio=london,
        starts_at=at(2026, 12, 24, 15, 0),  # GMT in winter: 15:00 local
        contacts=[(jane, "client"), (john, "partner")],
    )
    url = reverse("shoots:edit", args=[shoot.pk])
    html = auth_client.get(url).content.decode()
    assert 'value="2026-12-24"' in html
    assert 'value="15:00"' in html
    assert 'name="status"' not in html  # the status moves through the detail page's buttons

    data = form_data(
        (jane.pk, "parent"),
        (john.pk, "partner", "delete"),
        (kid.pk, "child"),
        ("", "guest"),  # a row left without a contact adds no one
        title="Family at Christmas",
        shoot_type="family",
        date="2026-12-23",
        time="10:15",
    )
    data["contacts-INITIAL_FORMS"] = "2"
    del data["status"]
    response = auth_client.post(url, data)
    assert response.status_code == 302
    shoot.refresh_from_db()
    assert shoot.title == "Family at Christmas"
    assert shoot.status == S.CONFIRMED
    assert shoot.starts_at == dt.datetime(2026, 12, 23, 10, 15, tzinfo=dt.UTC)
    assert dict(shoot.shoot_contacts.values_list("contact_id", "role")) == {
        jane.pk: "parent",
        kid.pk: "child",
    }


# --- detail, status, delete -----------------------------------------------------------------


def test_detail_shows_fields_people_gallery_sales_and_allowed_actions(
    auth_client, studio, make_shoot, make_contact, make_sale
):
    jane = make_contact("Jane", "Smith")
    shoot = make_shoot(
        title="Smith wedding",
        status=S.CONFIRMED,
        location="Kew Gardens",
        contacts=[(jane, "client")],
        gallery_provider="pictime",
        gallery_id="g-7",
        gallery_url="https://smith.pic-time.com/g-7",
    )
    make_sale(jane, shoot=shoot, sale_date=dt.date(2026, 6, 10), currency="GBP", total_minor=12050)
    html = auth_client.get(reverse("shoots:detail", args=[shoot.pk])).content.decode()
    for text in ("Smith wedding", "Kew Gardens", "Jane Smith", "Client", "Pic-Time", "g-7"):
        assert text in html
    assert 'href="https://smith.pic-time.com/g-7"' in html
    assert "£120.50" in html
    assert "10 Jun 2026" in html
    # confirmed → completed | cancelled | enquiry, and nothing else
    assert 'name="status" value="completed"' in html
    assert 'name="status" value="cancelled"' in html
    assert 'name="status" value="enquiry"' in html
    assert 'name="status" value="confirmed"' not in html


def test_status_change_by_post(auth_client, make_shoot):
    shoot = make_shoot(status=S.ENQUIRY)
    url = reverse("shoots:status", args=[shoot.pk])
    response = auth_client.post(url, {"status": "confirmed"}, follow=True)
    assert Shoot.objects.get(pk=shoot.pk).status == S.CONFIRMED
    assert "is now Confirmed" in response.content.decode()

    response = auth_client.post(url, {"status": "enquiry"})  # confirmed → enquiry: allowed
    assert Shoot.objects.get(pk=shoot.pk).status == S.ENQUIRY

    response = auth_client.post(url, {"status": "completed"}, follow=True)  # not allowed
    assert "cannot go from enquiry to completed" in response.content.decode()
    assert Shoot.objects.get(pk=shoot.pk).status == S.ENQUIRY


def test_status_change_needs_post(auth_client, make_shoot):
    shoot = make_shoot(status=S.ENQUIRY)
    response = auth_client.get(reverse("shoots:status", args=[shoot.pk]), {"status": "confirmed"})
    assert response.status_code == 405
    assert Shoot.objects.get(pk=shoot.pk).status == S.ENQUIRY


def test_delete_confirms_then_keeps_sales(auth_client, make_shoot, make_contact, make_sale):
    jane = make_contact()
    shoot = make_shoot(title="Doomed", contacts=[(jane, "client")])
    sale = make_sale(jane, shoot=shoot, sale_date=dt.date(2026, 6, 2), currency="GBP")
    url = reverse("shoots:delete", args=[shoot.pk])
    html = auth_client.get(url).content.decode()
    assert "Delete the shoot “Doomed”?" in html
    assert "Its sale will not be deleted" in html
    assert "no longer be linked to any shoot" in html
    assert Shoot.objects.filter(pk=shoot.pk).exists()

    response = auth_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("shoots:list")
    assert not Shoot.objects.filter(pk=shoot.pk).exists()
    sale.refresh_from_db()
    assert sale.shoot_id is None


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("shoots:detail", "get"),
        ("shoots:edit", "get"),
        ("shoots:edit", "post"),
        ("shoots:delete", "get"),
        ("shoots:delete", "post"),
        ("shoots:status", "post"),
    ],
)
def test_another_studios_shoot_is_404(auth_client, other_studio, make_shoot, name, method):
    theirs = make_shoot(studio=other_studio, title="Theirs", status=S.ENQUIRY)
    url = reverse(name, args=[theirs.pk])
    response = getattr(auth_client, method)(url, form_data() | {"status": "confirmed"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Theirs", S.ENQUIRY)
