"""How a date in an old program's file becomes a document's time."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wordofmouth.errors import InvalidInput
from wordofmouth.history.formats import moment

KYIV = ZoneInfo("Europe/Kyiv")


def test_a_bare_date_is_noon_of_that_day_in_the_stores_zone() -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=KYIV)
    assert moment("2026-11-30", KYIV, today=now) == datetime(2026, 11, 30, 12, 0, tzinfo=KYIV)
    assert moment("30.11.2026", KYIV, today=now) == datetime(2026, 11, 30, 12, 0, tzinfo=KYIV)


def test_today_before_noon_is_now_not_a_time_still_ahead() -> None:
    morning = datetime(2026, 12, 4, 2, 39, tzinfo=KYIV)
    assert moment("2026-12-04", KYIV, today=morning) == morning


def test_a_later_day_or_hour_is_refused() -> None:
    morning = datetime(2026, 12, 4, 2, 39, tzinfo=KYIV)
    with pytest.raises(InvalidInput):
        moment("2026-12-05", KYIV, today=morning)
    with pytest.raises(InvalidInput):
        moment("2026-12-04 12:40", KYIV, today=morning)
    with pytest.raises(InvalidInput):
        moment("04.13.2026", KYIV, today=morning + timedelta(days=400))
