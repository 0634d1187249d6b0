"""Opportunities for further sales, as of 2026-06-15 (UTC), each rule with the cases that
must and must not appear."""

from __future__ import annotations

import datetime as dt

import pytest

from contacts.models import Contact
from reports.selectors import ReportFilters, next_anniversary, opportunities, top_opportunities
from sales.services import cancel_sale
from testkit.factories import line, make_contact, make_sale, make_shoot

pytestmark = pytest.mark.django_db


def shoot(studio, contact, day: str, *, status="completed", kind="portrait", gallery=""):
    """A shoot at 10:00 UTC on `day`, linked to a gallery when `gallery` is its id."""
    return make_shoot(
        studio,
        contact,
        title=f"{contact.first_name} {kind} {day}",
        shoot_type=kind,
        status=status,
        starts_at=dt.datetime.fromisoformat(f"{day}T10:00:00+00:00"),
        gallery_provider="pictime" if gallery else "",
        gallery_id=gallery,
    )


@pytest.fixture
def person(studio):
    def make(name: str) -> Contact:
        return make_contact(studio, name, "Client")

    return make


def found(studio, kind: str, **filters) -> list:
    lists = {
        each.kind: each for each in opportunities(studio=studio, filters=ReportFilters(**filters))
    }
    return lists[kind].items


def names(items) -> list[str]:
    return [item.contact_name.split()[0] for item in items]


def test_completed_shoots_whose_gallery_has_no_order(studio, person, frozen_today):
    waiting = shoot(studio, person("Waiting"), "2026-05-01", gallery="PT-1")
    shoot(studio, person("Fresh"), "2026-06-10", gallery="PT-2")  # 5 days: too soon
    ordered = person("Ordered")
    shoot(studio, ordered, "2026-04-01", gallery="PT-3")
    make_sale(studio, ordered, dt.date(2026, 4, 20), "GBP", [line("print", 1000)], source="pictime",
              external_ref="O-3", gallery_provider="pictime", gallery_id="PT-3")  # fmt: skip
    cancelled = person("Cancelled")
    cancelled_shoot = shoot(studio, cancelled, "2026-04-01", gallery="PT-4")
    cancel_sale(sale=make_sale(studio, cancelled, dt.date(2026, 4, 2), "GBP", [line("print", 1000)],
                               shoot=cancelled_shoot))  # fmt: skip
    shoot(studio, person("NoGallery"), "2026-04-01")
    shoot(studio, person("Confirmed"), "2026-04-01", status="confirmed", gallery="PT-6")
    items = found(studio, "unordered_gallery")
    assert names(items) == ["Waiting", "Cancelled"]  # newest shoot first
    assert items[0].shoot_id == waiting.pk
    assert items[0].reason == "Shoot completed 45 days ago; its Pic-Time gallery has no order yet."


def test_galleries_where_only_digital_files_were_bought(studio, person, frozen_today):
    digital = person("Digital")
    make_sale(studio, digital, dt.date(2026, 5, 1), "GBP",
              [line("digital", 3000), line("digital", 2000)],
              source="pictime", external_ref="D-1", gallery_provider="pictime",
              gallery_id="G-D")  # fmt: skip
    both = person("Both")
    make_sale(studio, both, dt.date(2026, 5, 1), "GBP", [line("digital", 3000)], source="pictime",
              external_ref="B-1", gallery_provider="pictime", gallery_id="G-B")  # fmt: skip
    make_sale(studio, both, dt.date(2026, 5, 9), "GBP", [line("print", 900)], source="pictime",
              external_ref="B-2", gallery_provider="pictime", gallery_id="G-B")  # fmt: skip
    gone = person("Gone")
    cancel_sale(sale=make_sale(studio, gone, dt.date(2026, 5, 1), "GBP", [line("digital", 3000)],
                               source="pictime", external_ref="C-1", gallery_provider="pictime",
                               gallery_id="G-C"))  # fmt: skip
    make_sale(studio, person("Yen"), dt.date(2026, 5, 1), "JPY", [line("digital", 5000)],
              source="pictime", external_ref="Y-1", gallery_provider="pictime",
              gallery_id="G-Y")  # fmt: skip
    items = found(studio, "digital_only", currency="GBP")
    assert names(items) == ["Digital"]
    assert (items[0].currency, items[0].amount_minor) == ("GBP", 5000)
    assert "offer prints" in items[0].reason
    assert sorted(names(found(studio, "digital_only"))) == ["Digital", "Yen"]


def test_past_high_value_clients_quiet_for_a_year(studio, person, frozen_today):
    big = person("Big")
    make_sale(studio, big, dt.date(2025, 1, 10), "GBP", [line("album", 100000)])
    recent_big = person("Recent")
    make_sale(studio, recent_big, dt.date(2026, 5, 1), "GBP", [line("album", 90000)])
    for index in range(8):  # eight small clients: the top 20 % of ten is two
        make_sale(
            studio, person(f"Small{index}"), dt.date(2024, 1, 1), "GBP", [line("print", 1000)]
        )
    items = found(studio, "lapsed_high_value", currency="GBP")
    assert names(items) == ["Big"]
    assert (items[0].amount_minor, items[0].date) == (100000, dt.date(2025, 1, 10))
    assert items[0].reason == "One of your top clients (1 sale); nothing bought for 17 months."


def test_anniversaries_coming_up_unless_already_booked(studio, person, frozen_today):
    newborn = person("Newborn")
    shoot(studio, newborn, "2025-06-25", kind="newborn")  # in 10 days
    shoot(studio, person("Later"), "2025-09-01", kind="family")  # 78 days: too far
    booked = person("Booked")
    shoot(studio, booked, "2024-07-01", kind="wedding")
    shoot(studio, booked, "2026-08-01", status="confirmed")
    shoot(studio, person("Portrait"), "2025-06-20", kind="portrait")  # not a yearly kind
    wed = person("Wed")
    shoot(studio, wed, "2023-06-30", kind="wedding")  # 3 years on 30 Jun 2026
    items = found(studio, "anniversary")
    assert names(items) == ["Newborn", "Wed"]
    assert items[0].date == dt.date(2026, 6, 25)
    assert items[0].reason.startswith(
        "1-year newborn shoot anniversary on 25 Jun 2026 (in 10 days)"
    )
    assert items[1].reason.startswith("3-year wedding anniversary on 30 Jun 2026 (in 15 days)")


def test_upcoming_confirmed_shoots_of_clients_who_bought_before(studio, person, frozen_today):
    back = person("Back")
    make_sale(studio, back, dt.date(2025, 3, 1), "GBP", [line("print", 1000)])
    make_sale(studio, back, dt.date(2025, 9, 1), "EUR", [line("print", 1000)])
    upcoming = shoot(studio, back, "2026-07-01", status="confirmed")
    newcomer = person("Newcomer")
    first = shoot(studio, newcomer, "2026-07-02", status="confirmed")
    make_sale(
        studio, newcomer, dt.date(2026, 6, 1), "GBP", [line("session", 5000)], shoot=first
    )  # deposit
    cancelled = person("Cancelled")
    cancel_sale(
        sale=make_sale(studio, cancelled, dt.date(2025, 1, 1), "GBP", [line("print", 1000)])
    )
    shoot(studio, cancelled, "2026-07-03", status="confirmed")
    shoot(studio, back, "2026-08-01", status="enquiry")
    items = found(studio, "returning_client_shoot")
    assert names(items) == ["Back"]
    assert items[0].shoot_id == upcoming.pk
    assert items[0].reason == (
        "Returning client (2 earlier sales); shoot in 16 days: plan the sales session."
    )


def test_top_opportunities_take_each_kind_in_turn(studio, person, frozen_today):
    for index in range(3):
        shoot(studio, person(f"Gallery{index}"), f"2026-05-0{index + 1}", gallery=f"PT-{index}")
    shoot(studio, person("Newborn"), "2025-06-25", kind="newborn")
    lists = opportunities(studio=studio, filters=ReportFilters(), limit=5)
    top = top_opportunities(lists, 3)
    assert [item.kind for item in top] == ["unordered_gallery", "anniversary", "unordered_gallery"]


def test_no_opportunities_without_data(studio, frozen_today):
    assert all(not each.items for each in opportunities(studio=studio, filters=ReportFilters()))


@pytest.mark.parametrize(
    ("day", "today", "expected"),
    [
        ("2025-06-25", "2026-06-15", "2026-06-25"),
        ("2025-06-01", "2026-06-15", "2027-06-01"),
        ("2024-02-29", "2026-02-01", "2026-02-28"),
        ("2026-01-10", "2026-01-05", "2027-01-10"),  # never the shoot's own year
    ],
)
def test_next_anniversary(day, today, expected):
    parse = dt.date.fromisoformat
    assert next_anniversary(parse(day), parse(today)) == parse(expected)


def test_a_digital_only_gallery_names_its_shoot(studio, person, frozen_today):
    from testkit.factories import make_shoot

    digital = person("Digital")
    session = make_shoot(studio, digital, "Garden wedding")
    make_sale(studio, digital, dt.date(2026, 5, 1), "GBP", [line("digital", 3000)],
              source="pictime", external_ref="D-1", gallery_provider="pictime",
              gallery_id="G-D", shoot=session)  # fmt: skip
    (item,) = found(studio, "digital_only", currency="GBP")
    assert (item.shoot_id, item.shoot_title) == (session.pk, "Garden wedding")
