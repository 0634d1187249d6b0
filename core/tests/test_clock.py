"""The studio's clock: today is the studio's day, not the server's."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import time_machine

from core.clock import local_date, studio_now, studio_today, studio_zone

AUCKLAND = SimpleNamespace(time_zone="Pacific/Auckland")
HONOLULU = SimpleNamespace(time_zone="Pacific/Honolulu")
# 2026-03-01 11:30 UTC: already 2 March in Auckland (UTC+13), still 1 March in Honolulu.
MOMENT = dt.datetime(2026, 3, 1, 11, 30, tzinfo=dt.UTC)


def test_today_is_the_studios_day():
    with time_machine.travel(MOMENT, tick=False):
        assert studio_today(AUCKLAND) == dt.date(2026, 3, 2)
        assert studio_today(HONOLULU) == dt.date(2026, 3, 1)
        assert studio_now(AUCKLAND) == MOMENT
        assert studio_now(AUCKLAND).utcoffset() == dt.timedelta(hours=13)


def test_a_moment_falls_on_the_studios_calendar_day():
    assert local_date(MOMENT, AUCKLAND) == dt.date(2026, 3, 2)
    assert local_date(MOMENT, HONOLULU) == dt.date(2026, 3, 1)


def test_an_unknown_zone_name_means_utc_not_an_error():
    for name in ("", "Mars/Olympus", "../etc/passwd"):
        assert studio_zone(SimpleNamespace(time_zone=name)).key == "UTC"
    assert local_date(MOMENT, SimpleNamespace(time_zone="nowhere")) == dt.date(2026, 3, 1)
