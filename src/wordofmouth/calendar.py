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


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments [start 00:00, the day after end 00:00) of a period of whole days."""
    return (datetime.combine(start, time.min, tzinfo=UTC),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC))
