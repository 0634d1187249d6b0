import datetime as dt

import pytest

from contacts.models import ContactEmail
from shoots import selectors
from shoots.models import Shoot, ShootContact
from testkit.factories import at

S = Shoot.Status
pytestmark = pytest.mark.django_db


def titles(queryset) -> list[str]:
    return [shoot.title for shoot in queryset]


# --- shoot_list ------------------------------------------------------------------------


def test_shoot_list_is_scoped_newest_first_and_filters_by_status(studio, other_studio, make_shoot):
    make_shoot(title="Old", starts_at=at(2026, 1, 1), status=S.COMPLETED)
    make_shoot(title="New", starts_at=at(2026, 5, 1), status=S.ENQUIRY)
    make_shoot(title="Mid", starts_at=at(2026, 3, 1), status=S.CONFIRMED)
    make_shoot(studio=other_studio, title="Not ours")

    assert titles(selectors.shoot_list(studio=studio)) == ["New", "Mid", "Old"]
    assert titles(selectors.shoot_list(studio=studio, status=S.CONFIRMED)) == ["Mid"]
    assert titles(selectors.shoot_list(studio=studio, status=S.CANCELLED)) == []


def test_shoot_list_dates_are_inclusive_days_on_the_studios_clocks(studio_factory, make_shoot):
    studio, _ = studio_factory(time_zone="America/New_York")
    # 22:30 on 30 June in New York is already 1 July in UTC.
    make_shoot(
        studio=studio, title="Late", starts_at=at(2026, 6, 30, 22, 30, tz="America/New_York")
    )
    make_shoot(studio=studio, title="Early", starts_at=at(2026, 7, 1, 0, 0, tz="America/New_York"))

    june_30, july_1 = dt.date(2026, 6, 30), dt.date(2026, 7, 1)
    assert titles(selectors.shoot_list(studio=studio, date_to=june_30)) == ["Late"]
    assert titles(selectors.shoot_list(studio=studio, date_from=july_1)) == ["Early"]
    assert titles(selectors.shoot_list(studio=studio, date_from=june_30, date_to=june_30)) == [
        "Late"
    ]
    assert titles(selectors.shoot_list(studio=studio, date_from=june_30, date_to=july_1)) == [
        "Early",
        "Late",
    ]


def test_shoot_list_search_matches_every_word_in_title_or_contact_names(
    studio, make_shoot, make_contact
):
    jane = make_contact("Jane", "Doe")
    make_shoot(title="Beach portraits", contacts=[(jane, "client")], starts_at=at(2026, 1, 2))
    make_shoot(title="Doe family", starts_at=at(2026, 1, 1))
    make_shoot(title="Corporate headshots")

    assert titles(selectors.shoot_list(studio=studio, query="doe")) == [
        "Beach portraits",
        "Doe family",
    ]
    assert titles(selectors.shoot_list(studio=studio, query="jane beach")) == ["Beach portraits"]
    assert titles(selectors.shoot_list(studio=studio, query="jane corporate")) == []
    assert len(selectors.shoot_list(studio=studio, query="  ")) == 3


def test_shoot_list_prefetches_contacts_clients_first(studio, make_shoot, make_contact):
    guest, client = make_contact("Guest"), make_contact("Client")
    make_shoot(contacts=[(guest, "guest"), (client, "client")])
    shoot = selectors.shoot_list(studio=studio).get()
    assert [link.contact.first_name for link in shoot.shoot_contacts.all()] == ["Client", "Guest"]


# --- get_shoot ------------------------------------------------------------------------------


def test_get_shoot_refuses_another_studios_shoot(studio, other_studio, make_shoot):
    ours, theirs = make_shoot(), make_shoot(studio=other_studio)
    assert selectors.get_shoot(studio=studio, pk=ours.pk) == ours
    with pytest.raises(Shoot.DoesNotExist):
        selectors.get_shoot(studio=studio, pk=theirs.pk)


# --- shoots_for_contact ------------------------------------------------------------------


def test_shoots_for_contact_newest_first_with_role(studio, make_shoot, make_contact):
    jane, john = make_contact("Jane"), make_contact("John")
    make_shoot(title="Wedding", starts_at=at(2025, 9, 1), contacts=[(jane, "client")])
    make_shoot(
        title="Newborn",
        starts_at=at(2026, 4, 1),
        status=S.CANCELLED,
        contacts=[(john, "client"), (jane, "parent")],
    )
    make_shoot(title="John only", contacts=[(john, "client")])

    shoots = list(selectors.shoots_for_contact(studio=studio, contact=jane))
    assert [(s.title, s.role, s.role_label) for s in shoots] == [
        ("Newborn", "parent", "Parent"),
        ("Wedding", "client", "Client"),
    ]


def test_shoots_for_contact_is_scoped_by_studio(studio, other_studio, make_shoot, make_contact):
    jane = make_contact()
    theirs = make_shoot(studio=other_studio)
    # A corrupt cross-studio link (the services refuse these) still never leaks.
    ShootContact.objects.create(studio=other_studio, shoot=theirs, contact=jane)
    assert list(selectors.shoots_for_contact(studio=studio, contact=jane)) == []


# --- most_recent_confirmed_shoot -------------------------------------------------------------


@pytest.fixture
def jane(make_contact):
    return make_contact("Jane", "Smith")


def pick(studio, jane, **kwargs):
    return selectors.most_recent_confirmed_shoot(studio=studio, contact=jane, **kwargs)


def test_no_shoots_means_none(studio, jane):
    assert pick(studio, jane) is None


def test_enquiry_and_cancelled_shoots_are_never_chosen(studio, jane, make_shoot):
    make_shoot(status=S.ENQUIRY, starts_at=at(2026, 1, 1), contacts=[(jane, "client")])
    make_shoot(
        status=S.CANCELLED,
        starts_at=at(2026, 2, 1),
        contacts=[(jane, "client")],
        gallery_provider="pictime",
        gallery_id="g-1",
    )
    assert pick(studio, jane) is None
    assert pick(studio, jane, on_or_before=at(2026, 3, 1)) is None
    assert pick(studio, jane, gallery_provider="pictime", gallery_id="g-1") is None


def test_latest_confirmed_or_completed_shoot_is_chosen(studio, jane, make_shoot):
    make_shoot(
        title="Old", status=S.COMPLETED, starts_at=at(2025, 1, 1), contacts=[(jane, "client")]
    )
    completed = make_shoot(
        title="Completed", status=S.COMPLETED, starts_at=at(2026, 2, 1), contacts=[(jane, "guest")]
    )
    make_shoot(
        title="Later enquiry",
        status=S.ENQUIRY,
        starts_at=at(2026, 6, 1),
        contacts=[(jane, "client")],
    )
    make_shoot(
        title="Later cancelled",
        status=S.CANCELLED,
        starts_at=at(2026, 7, 1),
        contacts=[(jane, "client")],
    )
    assert pick(studio, jane) == completed

    confirmed = make_shoot(
        title="Confirmed", status=S.CONFIRMED, starts_at=at(2026, 3, 1), contacts=[(jane, "client")]
    )
    assert pick(studio, jane) == confirmed


def test_other_contacts_and_other_studios_shoots_are_not_chosen(
    studio, other_studio, jane, make_shoot, make_contact
):
    make_shoot(contacts=[(make_contact("John"), "client")])
    theirs = make_shoot(studio=other_studio, starts_at=at(2027, 1, 1))
    # A corrupt cross-studio link (the services refuse these) is never picked.
    ShootContact.objects.create(studio=other_studio, shoot=theirs, contact=jane)
    assert pick(studio, jane) is None


def test_on_or_before_picks_the_latest_shoot_not_after_it(studio, jane, make_shoot):
    spring = make_shoot(title="Spring", starts_at=at(2026, 4, 1, 10), contacts=[(jane, "client")])
    autumn = make_shoot(title="Autumn", starts_at=at(2026, 10, 1, 10), contacts=[(jane, "client")])
    assert pick(studio, jane, on_or_before=at(2026, 6, 15)) == spring
    assert pick(studio, jane, on_or_before=at(2026, 10, 1, 10)) == autumn  # "on" counts
    assert pick(studio, jane, on_or_before=at(2026, 10, 1, 9, 59)) == spring
    assert pick(studio, jane, on_or_before=at(2027, 1, 1)) == autumn


def test_on_or_before_earlier_than_every_shoot_falls_back_to_the_latest(studio, jane, make_shoot):
    make_shoot(title="Spring", starts_at=at(2026, 4, 1), contacts=[(jane, "client")])
    autumn = make_shoot(title="Autumn", starts_at=at(2026, 10, 1), contacts=[(jane, "client")])
    assert pick(studio, jane, on_or_before=at(2026, 1, 1)) == autumn


def test_on_or_before_ignores_cancelled_shoots_before_it(studio, jane, make_shoot):
    make_shoot(status=S.CANCELLED, starts_at=at(2026, 5, 1), contacts=[(jane, "client")])
    spring = make_shoot(starts_at=at(2026, 4, 1), contacts=[(jane, "client")])
    make_shoot(starts_at=at(2026, 9, 1), contacts=[(jane, "client")])
    assert pick(studio, jane, on_or_before=at(2026, 6, 1)) == spring


def test_the_gallerys_own_shoot_comes_first(studio, jane, make_shoot):
    gallery_shoot = make_shoot(
        title="Gallery's",
        status=S.COMPLETED,
        starts_at=at(2025, 5, 1),
        contacts=[(jane, "client")],
        gallery_provider="pictime",
        gallery_id="g-42",
    )
    make_shoot(title="Newer", starts_at=at(2026, 5, 1), contacts=[(jane, "client")])
    found = pick(
        studio,
        jane,
        on_or_before=at(2026, 6, 1),
        gallery_provider="pictime",
        gallery_id="g-42",
    )
    assert found == gallery_shoot
    # Even a gallery shoot dated after the order wins: the order came from its gallery.
    assert (
        pick(
            studio, jane, on_or_before=at(2025, 1, 1), gallery_provider="pictime", gallery_id="g-42"
        )
        == gallery_shoot
    )


def test_gallery_rule_needs_provider_and_id_matching(studio, jane, make_shoot):
    make_shoot(
        title="Gallery's",
        starts_at=at(2025, 5, 1),
        contacts=[(jane, "client")],
        gallery_provider="pictime",
        gallery_id="g-42",
    )
    newer = make_shoot(title="Newer", starts_at=at(2026, 5, 1), contacts=[(jane, "client")])
    assert pick(studio, jane, gallery_provider="shootproof", gallery_id="g-42") == newer
    assert pick(studio, jane, gallery_provider="pictime", gallery_id="g-43") == newer
    assert pick(studio, jane, gallery_id="g-42") == newer  # no provider: rule not applied
    assert pick(studio, jane, gallery_provider="pictime") == newer


def test_gallery_shoot_of_another_contact_is_not_chosen(studio, jane, make_shoot, make_contact):
    make_shoot(
        title="John's gallery",
        starts_at=at(2026, 8, 1),
        contacts=[(make_contact("John"), "client")],
        gallery_provider="pictime",
        gallery_id="g-42",
    )
    janes = make_shoot(title="Jane's", starts_at=at(2026, 1, 1), contacts=[(jane, "client")])
    assert pick(studio, jane, gallery_provider="pictime", gallery_id="g-42") == janes


def test_cancelled_gallery_shoot_falls_back_to_date_rules(studio, jane, make_shoot):
    make_shoot(
        status=S.CANCELLED,
        starts_at=at(2026, 3, 1),
        contacts=[(jane, "client")],
        gallery_provider="pictime",
        gallery_id="g-42",
    )
    before = make_shoot(title="Before", starts_at=at(2026, 2, 1), contacts=[(jane, "client")])
    make_shoot(title="After", starts_at=at(2026, 9, 1), contacts=[(jane, "client")])
    found = pick(
        studio, jane, on_or_before=at(2026, 4, 1), gallery_provider="pictime", gallery_id="g-42"
    )
    assert found == before


def test_same_start_time_prefers_the_newer_shoot(studio, jane, make_shoot):
    make_shoot(title="First", starts_at=at(2026, 5, 1), contacts=[(jane, "client")])
    second = make_shoot(title="Second", starts_at=at(2026, 5, 1), contacts=[(jane, "partner")])
    assert pick(studio, jane) == second


def test_naive_on_or_before_is_refused(studio, jane):
    with pytest.raises(ValueError, match="aware"):
        pick(studio, jane, on_or_before=dt.datetime(2026, 1, 1))


# --- contact_choices ------------------------------------------------------------------------


def test_contact_choices_are_the_studios_contacts_with_first_email(
    studio, other_studio, make_contact
):
    zed, amy = make_contact("Zed", "Adams"), make_contact("Amy", "Brown")
    ContactEmail.objects.create(
        studio=studio, contact=amy, email="amy@example.test", email_normalized="amy@example.test"
    )
    make_contact("Eve", "Other", studio=other_studio)
    assert selectors.contact_choices(studio=studio) == [
        (zed.pk, "Zed Adams"),
        (amy.pk, "Amy Brown · amy@example.test"),
    ]
