"""The activity analysis sorts by the names its CSV/XLSX columns carry (average_check,
discount_percent, bonus_balance, club_status); the older short names still read."""

from __future__ import annotations

from datetime import date

import pytest

from wordofmouth.analysis import activity
from wordofmouth.analysis.activity_pages import HEADER
from wordofmouth.errors import InvalidInput


def test_every_sort_key_is_a_column_of_the_export_and_old_names_still_read() -> None:
    assert set(activity.SORTS) <= set(HEADER) | {"customer"}
    day = date(2026, 12, 1)
    for old, new in activity.ALIASES.items():
        assert activity.Filter(day, day, sort=old).check().sort == new
    with pytest.raises(InvalidInput):
        activity.Filter(day, day, sort="age").check()
