"""Customer activity: figures per customer, filters, sorts, totals, revenue per month."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.analysis.helpers import store
from wordofmouth.analysis import activity
from wordofmouth.analysis.activity import Filter
from wordofmouth.calendar import DEFAULT_ZONE, today_date, zone
from wordofmouth.errors import InvalidInput

D = Decimal


def last(days: int) -> tuple[date, date]:
    today = today_date(zone(DEFAULT_ZONE))  # the store's day (the tests keep the default zone)
    return today - timedelta(days=days), today


def names(rows: list[activity.Row]) -> list[str]:
    return [r.name.split()[0] for r in rows]


def test_each_customer_has_the_figures_of_the_period(db: Session) -> None:
    ids = store(db)
    start, end = last(30)
    rows = activity.page(db, Filter(start, end, partner_id=ids["anna"]))
    assert names(rows) == ["Olena", "Taras"]  # revenue, highest first
    olena, taras = rows
    assert (olena.purchases, olena.revenue, olena.average, olena.discount_percent,
            olena.bonus, olena.partner, olena.employee) == (
        2, D("285.00"), D("142.50"), D("5.00"), D("12.50"), "Stylist Anna", "Iryna")
    assert (taras.purchases, taras.revenue, taras.average) == (0, D("0"), D("0"))
    assert taras.last_purchase is not None and taras.last_purchase < datetime.now(UTC) - \
        timedelta(days=59)


@pytest.mark.parametrize(("change", "expected"), [
    ({"employee_id": "iryna"}, ["Olena"]),
    ({"min_purchases": 1}, ["Olena", "Mariia"]),
    ({"max_purchases": 0}, ["Taras", "Oleh"]),
    ({"min_revenue": D("60")}, ["Olena"]),
    ({"consent": "email", "min_purchases": 1}, ["Olena", "Mariia"]),
    ({"consent": "email", "max_purchases": 0}, ["Taras"]),
    ({"club_status": "member"}, []),
])
def test_filters(db: Session, change: dict[str, object], expected: list[str]) -> None:
    ids = store(db)
    start, end = last(30)
    values = {k: ids[v] if isinstance(v, str) and k.endswith("_id") else v
              for k, v in change.items()}
    rows = activity.page(db, Filter(start, end, **values))  # type: ignore[arg-type]
    assert sorted(names(rows)) == sorted(expected)


def test_dormant_customers_of_a_partner(db: Session) -> None:
    ids = store(db)
    start, end = last(90)
    dormant = Filter(start, end, partner_id=ids["anna"], dormant_since=last(30)[0])
    assert names(activity.page(db, dormant)) == ["Taras"]


@pytest.mark.parametrize("sort", activity.SORTS)
def test_every_column_sorts_both_ways(db: Session, sort: str) -> None:
    store(db)
    start, end = last(90)
    down = activity.page(db, Filter(start, end, sort=sort, descending=True))
    up = activity.page(db, Filter(start, end, sort=sort, descending=False))
    assert len(down) == len(up) == 4 and sorted(names(down)) == sorted(names(up))
    if sort in ("revenue", "purchases"):
        assert names(down) == list(reversed(names(up)))


def test_totals_pages_and_revenue_per_month(db: Session) -> None:
    store(db)
    start, end = last(90)
    f = Filter(start, end, sort="customer", descending=False)
    totals = activity.totals(db, f)
    assert (totals.customers, totals.purchases, totals.revenue) == (4, 4, D("415.00"))
    assert totals.average == D("103.75")
    first, second = activity.page(db, f, limit=3), activity.page(db, f, limit=3, offset=3)
    assert len(first) == 3 and len(second) == 1
    assert activity.page_and_totals(db, f, limit=3, offset=3)[1] == totals
    assert activity.page_and_totals(db, f, limit=3, offset=30) == ([], totals)
    assert sum(r.revenue for r in activity.stream(db, f, batch=2)) == D("415.00")
    months = activity.revenue_per_month(db, f)
    assert sum(v for _m, v in months) == D("415.00") and len(months) in (3, 4)


def test_bad_filters_are_refused(db: Session) -> None:
    start, end = last(30)
    for bad in (Filter(end, start), Filter(start, end, sort="phone"),
                Filter(start, end, consent="pigeon"), Filter(start, end, min_purchases=-1),
                Filter(start, end, club_status="vip")):
        with pytest.raises(InvalidInput):
            activity.page(db, bad)


def test_filters_of_one_shape_share_a_statement_and_keep_their_own_values(
        db: Session) -> None:
    store(db)
    start, end = last(30)
    once, twice = Filter(start, end, min_purchases=1), Filter(start, end, min_purchases=2)
    assert activity.shape(once) == activity.shape(twice)
    assert sorted(names(activity.page(db, once))) == ["Mariia", "Olena"]
    built = activity._page_statement.cache_info().currsize
    assert names(activity.page(db, twice)) == ["Olena"]  # her two purchases
    assert activity._page_statement.cache_info().currsize == built
    assert activity.shape(Filter(start, end, min_purchases=0)) != activity.shape(once)
