"""The studio's own "today" (its time zone): invoice dates and due dates are studio days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from accounts.models import Studio


def studio_today(studio: Studio) -> dt.date:
    try:
        zone = zoneinfo.ZoneInfo(studio.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localdate(timezone=zone)
