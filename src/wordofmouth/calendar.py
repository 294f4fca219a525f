"""Store days as whole numbers (days since 1970-01-01, UTC): portable, indexable arithmetic."""

from datetime import UTC, date, datetime, time, timedelta

EPOCH = date(1970, 1, 1)


def day_of(moment: datetime) -> int:
    return (moment.astimezone(UTC).date() - EPOCH).days


def day_of_date(value: date) -> int:
    return (value - EPOCH).days


def date_of(day: int) -> date:
    return EPOCH + timedelta(days=day)


def today() -> int:
    return day_of(datetime.now(UTC))


def start_of(value: date) -> datetime:
    """The moment a store day begins (every day boundary is computed here)."""
    return datetime.combine(value, time.min, tzinfo=UTC)


def end_of(value: date) -> datetime:
    """The moment a store day ends: the next day's start (periods are half-open)."""
    return start_of(value + timedelta(days=1))


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The moments [start's beginning, end's end) of a period of whole days."""
    return start_of(start), end_of(end)
