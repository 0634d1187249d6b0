"""Wall-clock dates and times in the studio's time zone, turned into aware datetimes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accounts.models import Studio


def studio_zone(studio: Studio) -> ZoneInfo:
    """The studio's zone; UTC if the stored name is unknown (a broken setting must not 500)."""
    try:
        return ZoneInfo(studio.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (02:30 when clocks go 02:00→03:00)."""


def local_datetime(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """`day` at `time` on the studio's clocks, as an aware datetime.

    An ambiguous time (clocks going back) means its first occurrence; a skipped
    time raises NonexistentLocalTime rather than silently moving the shoot.
    """
    value = dt.datetime.combine(day, time, tzinfo=zone)
    round_trip = value.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != value.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{time:%H:%M} does not exist on {day} in {zone.key}.")
    return value


def start_of_day(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant of `day` on the studio's clocks (normalised if midnight was skipped)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone).astimezone(dt.UTC).astimezone(zone)
