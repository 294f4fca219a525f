"""A sale paid on another till while the daily review is open: the review does not see it,
and the next one does (on PostgreSQL, two sessions)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.club.helpers import buy, member_card, switch_on
from tests.conftest import requires_postgres
from wordofmouth.club.models import ClubMembership
from wordofmouth.club.rules import ClubStatus as S
from wordofmouth.customers.models import DiscountCard


@requires_postgres
def test_a_sale_paid_while_the_review_runs_counts_at_the_next_one(committed_url: str) -> None:
    """The review reads, a till pays and commits, the review commits without having seen the
    sale: the next review looks at that customer again and finds the amount reached."""
    from wordofmouth.club import service as club
    from wordofmouth.settings import service as store_settings

    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        today = store_settings.today(s)
        switch_on(s, accumulation_amount=Decimal("5000"), accumulation_days=30,
                  started_day=today - 5)
        card = member_card()
        buy(s, card, "3000.00", today - 2)
        club.run_review(s, day=today - 1)
        s.commit()
        card_id, customer_id = card.id, card.customer_id
    with Session(engine) as review, Session(engine) as till:
        factories.bind(review)
        club.run_review(review, day=today)  # read and decided, not yet committed
        factories.bind(till)
        buy(till, till.get_one(DiscountCard, card_id), "2000.00", today)
        till.commit()
        review.commit()
    with Session(engine) as s:
        assert s.get_one(ClubMembership, customer_id).status == S.REGULAR
        assert club.run_review(s, day=today + 1).counts["candidate_join"] == 1
        s.commit()
    engine.dispose()
