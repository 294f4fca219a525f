"""The store's clock: every day is a local day (Europe/Kyiv by default), including the days
the clocks change; instants stay UTC."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.sales.helpers import product
from wordofmouth.calendar import bounds, date_of, day_of, day_of_date, end_of, start_of, zone
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.settings import service as store_settings

KYIV = zone("Europe/Kyiv")


def _paid_at(db: Session, at: datetime) -> int:
    item = product("100.00")
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id, qty=Decimal(1))]), actor="t", channel="pos")
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, Decimal("100.00"))],
                 paid_at=at)
    day = service.get_sale(db, sale.id).paid_day
    assert day is not None
    return day


def test_a_sale_at_half_past_eleven_and_one_at_half_past_midnight_fall_on_their_kyiv_days(
        db: Session) -> None:
    late = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)  # 23:30 on 1 December in Kyiv
    early = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 December in Kyiv
    assert date_of(_paid_at(db, late)) == date(2026, 12, 1)
    assert date_of(_paid_at(db, early)) == date(2026, 12, 2)  # UTC would say 1 December


def test_the_store_time_zone_is_a_setting(db: Session) -> None:
    store_settings.update(db, actor="owner", time_zone="America/New_York")
    at = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 22:00 on 1 December in New York
    assert date_of(_paid_at(db, at)) == date(2026, 12, 1)
    assert store_settings.zone(db).key == "America/New_York"


def test_a_bad_time_zone_is_refused(db: Session) -> None:
    import pytest

    from wordofmouth.errors import InvalidInput

    with pytest.raises(InvalidInput):
        store_settings.update(db, actor="owner", time_zone="Mars/Olympus")
    assert store_settings.get(db).time_zone == "Europe/Kyiv"


def test_the_day_clocks_go_forward_is_23_hours_and_the_day_they_go_back_25() -> None:
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)  # the last Sundays
    assert end_of(spring, KYIV) - start_of(spring, KYIV) == timedelta(hours=23)
    assert end_of(autumn, KYIV) - start_of(autumn, KYIV) == timedelta(hours=25)
    assert start_of(spring, KYIV) == datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    assert start_of(date(2026, 3, 30), KYIV) == datetime(2026, 3, 29, 21, 0, tzinfo=UTC)


def test_no_day_is_lost_or_doubled_across_a_year_of_hours() -> None:
    """Walk every hour of 2026: the day numbers rise by one at each local midnight only."""
    at = datetime(2026, 1, 1, tzinfo=KYIV).astimezone(UTC)
    seen = [day_of(at, KYIV)]
    while at < datetime(2027, 1, 1, tzinfo=UTC):
        at += timedelta(hours=1)
        seen.append(day_of(at, KYIV))
    steps = {b - a for a, b in itertools.pairwise(seen)}
    assert steps == {0, 1}
    assert len(set(seen)) == 366  # 365 days of 2026 and the first of 2027
    assert seen[0] == day_of_date(date(2026, 1, 1))


def test_a_period_of_days_covers_its_local_midnights() -> None:
    lo, hi = bounds(date(2026, 10, 1), date(2026, 10, 31), KYIV)
    assert lo == datetime(2026, 9, 30, 21, 0, tzinfo=UTC)  # summer time
    assert hi == datetime(2026, 10, 31, 22, 0, tzinfo=UTC)  # winter time
