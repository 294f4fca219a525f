"""Races on PostgreSQL: two payouts for the same partner never exceed the payable amount;
first purchases at several tills never share a milestone number."""

import threading
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.factories import CardFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.catalog.models import Product
from wordofmouth.customers.models import DiscountCard
from wordofmouth.db import utcnow
from wordofmouth.errors import DomainError
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import commission, payouts
from wordofmouth.partners import service as partners

D = Decimal


@requires_postgres
def test_two_payouts_at_once_never_exceed_payable(committed_url: str) -> None:
    engine = create_engine(committed_url, pool_size=4)
    with Session(engine) as s:
        factories.bind(s)
        anna = partner(s, rate="10")
        card = CardFactory.create()
        partners.link(s, card.customer_id, anna.id, actor="cashier")
        sell(s, [(product("1000.00"), "1")], card_number=card.number)
        commission.mature(s, now=utcnow() + timedelta(days=15))
        s.commit()
        partner_id = anna.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay() -> None:
        with Session(engine) as s:
            commission.balance(s, partner_id)  # both read 100.00 payable first
            barrier.wait()
            try:
                payouts.pay_out(s, partner_id, amount=D("70.00"), method="cash",
                                actor="manager")
                s.commit()
                outcomes.append("paid")
            except DomainError as exc:
                s.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as s:
        b = commission.balance(s, partner_id)
        assert ledger.verify(s) == []
    engine.dispose()
    assert sorted(outcomes) == ["paid", "payout_above_payable"]
    assert (b.payable, b.paid) == (D("30.00"), D("70.00"))


@requires_postgres
def test_first_purchases_at_four_tills_count_each_customer_once(committed_url: str) -> None:
    from wordofmouth.partners import milestones
    from wordofmouth.partners.models import MilestoneCustomer

    engine = create_engine(committed_url, pool_size=6)
    with Session(engine) as s:
        factories.bind(s)
        gym = partner(s, "Gym", rate="0")
        milestones.set_milestone(s, gym.id, every=2, minimum=D("0"), amount=D("100.00"),
                                 actor="owner")
        cards = [CardFactory.create().number for _ in range(4)]
        for number in cards:
            partners.link(s, s.scalars(select(DiscountCard.customer_id)
                                       .where(DiscountCard.number == number)).one(),
                          gym.id, actor="cashier")
        item_id = product("50.00").id
        s.commit()
        partner_id = gym.id
    barrier = threading.Barrier(4)
    failures: list[BaseException] = []

    def till(number: str) -> None:
        with Session(engine) as s:
            try:
                item = s.get(Product, item_id)
                assert item is not None
                barrier.wait()
                sell(s, [(item, "1")], card_number=number)
                s.commit()
            except BaseException as exc:  # reported below
                failures.append(exc)

    threads = [threading.Thread(target=till, args=(n,)) for n in cards]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as s:
        numbers = sorted(s.scalars(select(MilestoneCustomer.number)
                                   .where(MilestoneCustomer.partner_id == partner_id)))
        payable = commission.balance(s, partner_id).payable
        assert ledger.verify(s) == []
    engine.dispose()
    assert failures == []
    assert numbers == [1, 2, 3, 4] and payable == D("200.00")
