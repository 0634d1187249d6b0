"""A refund taken in from a gallery order falls on the studio's calendar day, as the sale
and its payment do (core.clock.local_date). Before, it took the day in the timestamp's
own offset (UTC for Pic-Time): a studio in Auckland saw a refund made on the morning of
2 May dated 1 May, a day before the sale itself, and in another month's report when it
fell on a month's first morning."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox.importing import import_item
from testkit.factories import receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ada")]

# 2026-05-31 22:30 UTC is 1 June 10:30 in Auckland (UTC+12 in winter).
LATE_UTC = "2026-05-31T22:30:00Z"
_orders = itertools.count(100)


def _refund_at(moment: str):
    def change(payload: dict) -> None:
        payload["created_at"] = "2026-05-31T21:00:00Z"
        for refund in payload["refunds"]:
            refund["created_at"] = moment

    return change


@pytest.fixture
def auckland(studio):
    studio.time_zone = "Pacific/Auckland"
    studio.save(update_fields=["time_zone"])
    return studio


def test_a_refund_imported_with_its_order_is_dated_on_the_studios_calendar(auckland):
    item = receive(auckland, refunds=[500], change=_refund_at(LATE_UTC))
    sale = import_item(item=item)
    assert sale.sale_date == dt.date(2026, 6, 1)
    assert [r.refunded_on for r in sale.refunds.all()] == [dt.date(2026, 6, 1)]


def test_a_refund_after_import_is_dated_on_the_studios_calendar(auckland):
    item = receive(auckland, change=_refund_at(LATE_UTC))
    sale = import_item(item=item)
    receive(auckland, refunds=[500], change=_refund_at(LATE_UTC), updated_at=LATE_UTC)
    assert [r.refunded_on for r in sale.refunds.all()] == [dt.date(2026, 6, 1)]


def test_a_refund_stamped_in_another_offset_is_still_the_studios_day(auckland):
    # 23:30 at −10:00 is 09:30 UTC next day: 21:30 on 1 June in Auckland.
    item = receive(auckland, refunds=[500], change=_refund_at("2026-05-31T23:30:00-10:00"))
    sale = import_item(item=item)
    assert [r.refunded_on for r in sale.refunds.all()] == [dt.date(2026, 6, 1)]


ZONES = ["UTC", "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns"]
MOMENTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0, tzinfo=dt.UTC)
)
OFFSETS = st.integers(min_value=-15 * 60 - 59, max_value=15 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(zone=st.sampled_from(ZONES), placed=MOMENTS, refunded=MOMENTS, offset=OFFSETS)
def test_every_day_an_import_writes_is_the_studios_day(studio, zone, placed, refunded, offset):
    """The sale's date, its payment's and its refunds', on any studio calendar, whatever
    offset the gallery stamps its times in, before and after the import."""
    studio.time_zone = zone
    studio.save(update_fields=["time_zone"])
    later = max(placed, refunded) + dt.timedelta(hours=1)

    def stamped(payload: dict) -> None:
        payload["created_at"] = placed.astimezone(offset).isoformat()
        for refund in payload["refunds"]:
            refund["created_at"] = refunded.astimezone(offset).isoformat()

    n = next(_orders)
    first = (later - dt.timedelta(minutes=30)).isoformat()
    item = receive(studio, n, refunds=[300], change=stamped, updated_at=first)
    sale = import_item(item=item, create_contact=True)
    receive(studio, n, refunds=[300, 200], change=stamped, updated_at=later.isoformat())
    on = ZoneInfo(zone)
    assert sale.sale_date == placed.astimezone(on).date()
    assert {p.paid_on for p in sale.payments.all()} == {placed.astimezone(on).date()}
    assert {r.refunded_on for r in sale.refunds.all()} == {refunded.astimezone(on).date()}
    assert sale.refunds.count() == 2
