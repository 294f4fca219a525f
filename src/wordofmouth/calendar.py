"""Store days as whole numbers (days since 1970-01-01, UTC): portable, indexable arithmetic."""

from datetime import UTC, date, datetime, timedelta

EPOCH = date(1970, 1, 1)


def day_of(moment: datetime) -> int:
    return (moment.astimezone(UTC).date() - EPOCH).days


def day_of_date(value: date) -> int:
    return (value - EPOCH).days


def date_of(day: int) -> date:
    return EPOCH + timedelta(days=day)


def today() -> int:
    return day_of(datetime.now(UTC))
