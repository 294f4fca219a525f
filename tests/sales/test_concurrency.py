"""Tills racing for the same customer's bonuses on PostgreSQL, each on its own connection."""

import threading
from decimal import Decimal

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.sales.helpers import bonus, card, give_bonus, product
from wordofmouth.errors import DomainError
from wordofmouth.ledger import service as ledger
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod

D = Decimal


@requires_postgres
def test_tills_paying_with_the_same_bonuses_at_once_never_overspend(committed_url: str) -> None:
    engine = create_engine(committed_url, pool_size=10)
    with Session(engine) as setup:
        factories.bind(setup)
        c = card()
        give_bonus(setup, c.customer_id, "100.00")
        p = product("100.00")
        setup.commit()
        customer_id, number, product_id = c.customer_id, c.number, p.id
    tills = 8
    barrier = threading.Barrier(tills)
    outcomes: list[str] = []
    lock = threading.Lock()

    def till() -> None:
        with Session(engine) as s:
            sale = service.create_sale(s, service.SaleDraft(
                lines=[service.LineDraft(product_id=product_id)], card_number=number),
                actor="till", channel="pos")
            s.commit()
            barrier.wait()
            try:
                payments.pay(s, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, D("40")),
                                          payments.PaymentDraft(PaymentMethod.CASH, D("60"))])
                s.commit()
                result = "paid"
            except DomainError as exc:
                s.rollback()
                result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=till) for _ in range(tills)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as check:
        left = bonus(check, customer_id)
        assert ledger.verify(check) == []
    engine.dispose()
    paid = outcomes.count("paid")
    assert paid == 2, outcomes
    assert set(outcomes) - {"paid"} <= {"insufficient_bonus", "bonus_share_exceeded"}
    assert left == D("100.00") - 40 * paid == D("20.00")
