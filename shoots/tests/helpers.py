import datetime as dt
from zoneinfo import ZoneInfo


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0, tz: str = "UTC"):
    """An aware datetime, on the clocks of `tz`."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))
