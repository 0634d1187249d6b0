import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shoots import services
from shoots.models import Shoot, ShootContact
from testkit.factories import at

S = Shoot.Status
ALLOWED = {
    (S.ENQUIRY, S.CONFIRMED),
    (S.ENQUIRY, S.CANCELLED),
    (S.CONFIRMED, S.COMPLETED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CONFIRMED, S.ENQUIRY),
    (S.COMPLETED, S.CONFIRMED),
    (S.CANCELLED, S.ENQUIRY),
}
ALL_PAIRS = [(a, b) for a in S.values for b in S.values]

pytestmark = pytest.mark.django_db


def test_create_shoot_saves_fields_and_contacts_with_roles(studio, make_contact):
    jane, john = make_contact("Jane", "Smith"), make_contact("John", "Smith")
    shoot = services.create_shoot(
        studio=studio,
        title="  Smith wedding ",
        shoot_type=Shoot.Type.WEDDING,
        starts_at=at(2026, 7, 4, 14, 30, tz="Europe/London"),
        location="Kew Gardens",
        contacts=[(jane, "client"), (john, "partner")],
        gallery_provider="pictime",
        gallery_id="g-123",
        gallery_url="https://smith.pic-time.com/g-123",
    )
    shoot = Shoot.objects.get(pk=shoot.pk)
    assert shoot.title == "Smith wedding"
    assert shoot.status == S.ENQUIRY
    assert shoot.starts_at == dt.datetime(2026, 7, 4, 13, 30, tzinfo=dt.UTC)
    assert (shoot.gallery_provider, shoot.gallery_id) == ("pictime", "g-123")
    roles = {link.contact_id: link.role for link in shoot.shoot_contacts.all()}
    assert roles == {jane.pk: "client", john.pk: "partner"}
    assert all(link.studio_id == studio.pk for link in shoot.shoot_contacts.all())


def test_contact_of_another_studio_is_refused_and_nothing_saved(studio, other_studio, make_contact):
    stranger = make_contact("Eve", "Other", studio=other_studio)
    with pytest.raises(ValidationError) as exc:
        services.create_shoot(
            studio=studio,
            title="Portrait",
            shoot_type="portrait",
            starts_at=at(2026, 1, 1),
            contacts=[(stranger, "client")],
        )
    assert "contacts" in exc.value.message_dict
    assert "not one of this studio's contacts" in exc.value.message_dict["contacts"][0]
    assert not Shoot.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"shoot_type": "boudoir"}, "shoot_type"),
        ({"status": "maybe"}, "status"),
        ({"starts_at": dt.datetime(2026, 1, 1, 10, 0)}, "starts_at"),
        ({"gallery_id": "g-1"}, "gallery_provider"),
        ({"gallery_provider": "flickr", "gallery_id": "1"}, "gallery_provider"),
        ({"gallery_url": "not a url"}, "gallery_url"),
    ],
)
def test_create_shoot_refuses_bad_input(studio, overrides, field):
    values = {"title": "Portrait", "shoot_type": "portrait", "starts_at": at(2026, 1, 1)}
    with pytest.raises(ValidationError) as exc:
        services.create_shoot(studio=studio, **(values | overrides))
    assert field in exc.value.message_dict
    assert not Shoot.objects.exists()


def test_duplicate_contact_and_unknown_role_are_refused(studio, make_contact):
    jane = make_contact()
    for links in ([(jane, "client"), (jane, "partner")], [(jane, "groom")]):
        with pytest.raises(ValidationError) as exc:
            services.create_shoot(
                studio=studio,
                title="Portrait",
                shoot_type="portrait",
                starts_at=at(2026, 1, 1),
                contacts=links,
            )
        assert "contacts" in exc.value.message_dict
    assert not Shoot.objects.exists()


def test_a_gallery_belongs_to_one_shoot_per_studio(studio, other_studio, make_shoot):
    first = make_shoot(title="First", gallery_provider="pictime", gallery_id="g-1")
    with pytest.raises(ValidationError) as exc:
        make_shoot(title="Second", gallery_provider="pictime", gallery_id="g-1")
    assert "“First”" in exc.value.message_dict["gallery_id"][0]
    # Same id at another provider, or in another studio, is a different gallery.
    make_shoot(title="Elsewhere", gallery_provider="shootproof", gallery_id="g-1")
    make_shoot(studio=other_studio, gallery_provider="pictime", gallery_id="g-1")
    # Saving the first shoot again does not collide with itself.
    services.update_shoot(shoot=first, title="First again")


@pytest.mark.parametrize(("current", "new"), ALL_PAIRS)
def test_change_status_allows_only_the_listed_transitions(make_shoot, current, new):
    shoot = make_shoot(status=current)
    if (current, new) in ALLOWED:
        services.change_status(shoot=shoot, status=new)
        assert Shoot.objects.get(pk=shoot.pk).status == new
    else:
        with pytest.raises(ValidationError) as exc:
            services.change_status(shoot=shoot, status=new)
        assert "status" in exc.value.message_dict
        assert Shoot.objects.get(pk=shoot.pk).status == current


def test_change_status_checks_the_stored_status_not_a_stale_copy(make_shoot):
    shoot = make_shoot(status=S.CONFIRMED)
    stale = Shoot.objects.get(pk=shoot.pk)
    services.change_status(shoot=shoot, status=S.COMPLETED)
    # The stale copy still says "confirmed", but completed → cancelled is not allowed.
    with pytest.raises(ValidationError):
        services.change_status(shoot=stale, status=S.CANCELLED)
    assert Shoot.objects.get(pk=shoot.pk).status == S.COMPLETED


def test_change_status_refuses_unknown_status(make_shoot):
    shoot = make_shoot(status=S.ENQUIRY)
    with pytest.raises(ValidationError):
        services.change_status(shoot=shoot, status="archived")


def test_update_shoot_sets_fields_and_replaces_contacts(make_shoot, make_contact):
    jane, john, kid = make_contact("Jane"), make_contact("John"), make_contact("Kid")
    shoot = make_shoot(contacts=[(jane, "client"), (john, "partner")])
    jane_link = shoot.shoot_contacts.get(contact=jane)

    services.update_shoot(
        shoot=shoot,
        title="Family session",
        shoot_type="family",
        starts_at=at(2026, 8, 1, 9),
        contacts=[(jane, "parent"), (kid, "child")],
    )
    shoot.refresh_from_db()
    assert (shoot.title, shoot.shoot_type) == ("Family session", "family")
    assert shoot.starts_at == at(2026, 8, 1, 9)
    links = {link.contact_id: link for link in shoot.shoot_contacts.all()}
    assert {cid: link.role for cid, link in links.items()} == {jane.pk: "parent", kid.pk: "child"}
    assert links[jane.pk].pk == jane_link.pk  # kept, only its role changed


def test_update_shoot_refuses_bad_input_and_leaves_shoot_unchanged(
    make_shoot, make_contact, other_studio
):
    jane = make_contact()
    shoot = make_shoot(title="Kept", contacts=[(jane, "client")])
    stranger = make_contact("Eve", studio=other_studio)
    with pytest.raises(ValidationError) as exc:
        services.update_shoot(shoot=shoot, title="", contacts=[(stranger, "client")])
    assert set(exc.value.message_dict) == {"title", "contacts"}
    assert shoot.title == "Kept"  # the instance is reloaded, not left half-edited
    assert Shoot.objects.get(pk=shoot.pk).title == "Kept"
    assert list(shoot.shoot_contacts.values_list("contact_id", flat=True)) == [jane.pk]


def test_update_shoot_status_goes_through_transitions(make_shoot):
    shoot = make_shoot(status=S.COMPLETED)
    services.update_shoot(shoot=shoot, status=S.COMPLETED, title="Same status is fine")
    with pytest.raises(ValidationError):
        services.update_shoot(shoot=shoot, status=S.ENQUIRY)
    services.update_shoot(shoot=shoot, status=S.CONFIRMED)
    assert Shoot.objects.get(pk=shoot.pk).status == S.CONFIRMED


def test_update_shoot_rejects_unknown_fields(make_shoot):
    with pytest.raises(TypeError):
        services.update_shoot(shoot=make_shoot(), studio_id=99)


def test_set_shoot_contacts_adds_removes_and_refuses_strangers(
    make_shoot, make_contact, other_studio
):
    jane, john = make_contact("Jane"), make_contact("John")
    shoot = make_shoot(contacts=[(jane, "client")])
    services.set_shoot_contacts(shoot=shoot, contacts=[(john, "guest")])
    assert list(shoot.shoot_contacts.values_list("contact_id", "role")) == [(john.pk, "guest")]

    stranger = make_contact("Eve", studio=other_studio)
    with pytest.raises(ValidationError):
        services.set_shoot_contacts(shoot=shoot, contacts=[(john, "guest"), (stranger, "client")])
    assert list(shoot.shoot_contacts.values_list("contact_id", flat=True)) == [john.pk]

    services.set_shoot_contacts(shoot=shoot, contacts=[])
    assert not ShootContact.objects.filter(shoot=shoot).exists()


def test_delete_shoot_keeps_its_sales_without_a_shoot(make_shoot, make_contact, make_sale):
    jane = make_contact()
    shoot = make_shoot(contacts=[(jane, "client")])
    sale = make_sale(jane, shoot=shoot, sale_date=dt.date(2026, 6, 2), currency="GBP")
    assert services.delete_shoot(shoot=shoot) == 1
    assert not Shoot.objects.filter(pk=shoot.pk).exists()
    assert not ShootContact.objects.exists()
    sale.refresh_from_db()
    assert sale.shoot_id is None
    assert sale.contact_id == jane.pk
