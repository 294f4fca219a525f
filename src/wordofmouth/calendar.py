"""Store days as whole numbers (days since 1970-01-01 on the store's own calendar):
portable, indexable arithmetic. Instants stay UTC; a day is the store's local day, so every
function that turns an instant into a day (or back) takes the store's time zone."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

EPOCH = date(1970, 1, 1)
DEFAULT_ZONE = "Europe/Kyiv"


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name` (tzdata ships with the package, no system files needed)."""
    return ZoneInfo(name)


def is_zone(name: str) -> bool:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return "/" in name or name == "UTC"


def zone_names() -> list[str]:
    return sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))


def local(moment: datetime, tz: ZoneInfo) -> datetime:
    """The instant on the store's wall clock (for showing and for finding its day)."""
    return moment.astimezone(tz)


def day_of(moment: datetime, tz: ZoneInfo) -> int:
    """The store day an instant falls on."""
    return (moment.astimezone(tz).date() - EPOCH).days


def day_of_date(value: date) -> int:
    return (value - EPOCH).days


def date_of(day: int) -> date:
    return EPOCH + timedelta(days=day)


def today(tz: ZoneInfo) -> int:
    return day_of(datetime.now(UTC), tz)


def today_date(tz: ZoneInfo) -> date:
    return datetime.now(UTC).astimezone(tz).date()


def start_of(value: date, tz: ZoneInfo) -> datetime:
    """The moment (UTC) a store day begins: local midnight, whatever the clock change."""
    return datetime.combine(value, time.min, tzinfo=tz).astimezone(UTC)


def end_of(value: date, tz: ZoneInfo) -> datetime:
    """The moment a store day ends: the next day's start (periods are half-open). A day
    with a clock change is 23 or 25 hours long."""
    return start_of(value + timedelta(days=1), tz)


def bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The moments [start's beginning, end's end) of a period of whole days."""
    return start_of(start, tz), end_of(end, tz)
