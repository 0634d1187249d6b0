"""The studio's clock: "now" and "today" in the studio's time zone, and wall-clock dates
and times there turned into aware datetimes. Everything that asks what day it is for a
studio (reports, a sale's date, an imported order's date, a merge note) asks here.

`studio` is anything with a `time_zone` (an IANA name): accounts.models.Studio; core
imports no app.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


class HasTimeZone(Protocol):
    time_zone: str


def studio_zone(studio: HasTimeZone) -> ZoneInfo:
    """The studio's zone; UTC if the stored name is unknown (a broken setting must not 500)."""
    try:
        return ZoneInfo(studio.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def studio_now(studio: HasTimeZone) -> dt.datetime:
    """Now, as an aware datetime in the studio's zone."""
    return timezone.now().astimezone(studio_zone(studio))


def studio_today(studio: HasTimeZone) -> dt.date:
    """Today on the studio's clocks (a report run at 23:30 in Auckland is about that day)."""
    return studio_now(studio).date()


def local_date(moment: dt.datetime, studio: HasTimeZone) -> dt.date:
    """The day an aware `moment` falls on, on the studio's calendar."""
    return moment.astimezone(studio_zone(studio)).date()


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
