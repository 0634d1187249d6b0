"""The date range: what it accepts can be shown in any zone and stored; the rest is refused."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from core.dates import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_UTC_OFFSET,
    ApiDate,
    ApiTimestamp,
    timestamp_problem,
    validate_date,
    validate_timestamp,
)

api_date = TypeAdapter(ApiDate)
api_timestamp = TypeAdapter(ApiTimestamp)

# The values that broke the studio's pages (issue #10.2, #10.6).
REFUSED_TIMESTAMPS = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2200-12-31T23:00:00-02:00",  # in range on its own clock, 2201 in UTC
    "1900-01-01T01:00:00+02:00",  # 1899 in UTC
    "2200-12-31T12:00:00Z",  # 2201 in Kiritimati (+14:00)
    "1900-01-01T12:00:00Z",  # 1899 in Pago Pago (-11:00)
    "2026-06-30T12:00:00+16:00",  # an offset PostgreSQL cannot store
    "2026-06-30T12:00:00-23:59",
    "2026-06-30T12:00:00",  # no offset
    "0",
    "1700000000",
    "",
]
REFUSED_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2201-01-01", "0", "20260630", ""]


@pytest.mark.parametrize("value", REFUSED_TIMESTAMPS)
def test_a_timestamp_outside_the_range_is_refused(value):
    with pytest.raises(PydanticError):
        api_timestamp.validate_python(value)


@pytest.mark.parametrize("value", [*REFUSED_DATES, 0, 1_700_000_000])
def test_a_date_outside_the_range_or_not_iso_is_refused(value):
    with pytest.raises(PydanticError):
        api_date.validate_python(value)


def test_the_edges_of_the_range_are_accepted():
    assert api_date.validate_python("1900-01-01") == EARLIEST_DATE
    assert api_date.validate_python("2200-12-31") == LATEST_DATE
    assert api_timestamp.validate_python("2200-12-31T23:59:59+15:59").year == 2200
    assert api_timestamp.validate_python("2200-12-31T08:00:00Z").year == 2200
    assert api_timestamp.validate_python("1900-01-01T00:00:00-15:59").year == 1900
    assert api_timestamp.validate_python("1900-01-01T16:00:00Z").year == 1900
    assert api_timestamp.validate_python("2026-06-30T12:00:00+15:59").hour == 12


def test_the_django_validators_say_why():
    with pytest.raises(ValidationError, match="1900-01-01 to 2200-12-31"):
        validate_date(dt.date(9999, 12, 31))
    with pytest.raises(ValidationError, match="offset"):
        validate_timestamp(dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=20))))
    validate_date(dt.date(2026, 6, 30))
    validate_timestamp(dt.datetime(2026, 6, 30, tzinfo=dt.UTC))


offsets = st.timedeltas(
    min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59)
).map(lambda d: dt.timedelta(minutes=d // dt.timedelta(minutes=1)))
moments = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    # Near the edges, where the zones matter.
    st.datetimes(min_value=dt.datetime(1899, 12, 30), max_value=dt.datetime(1900, 1, 3)),
    st.datetimes(min_value=dt.datetime(2200, 12, 29), max_value=dt.datetime(2201, 1, 2)),
)
zones = st.sampled_from(["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/Los_Angeles", "UTC"])


@given(moments, offsets, zones)
def test_every_accepted_timestamp_is_a_day_of_the_range_in_any_zone(naive, offset, zone):
    moment = naive.replace(tzinfo=dt.timezone(offset))
    if timestamp_problem(moment) is not None:
        return
    assert abs(offset) <= MAX_UTC_OFFSET
    local = moment.astimezone(ZoneInfo(zone))
    assert EARLIEST_DATE <= local.date() <= LATEST_DATE
    # Two months either side still exist: readers may widen it to a day or a month.
    assert local + dt.timedelta(days=62) > local - dt.timedelta(days=62)
