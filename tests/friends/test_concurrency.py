"""Fifty tills try one friend code at once, each on its own PostgreSQL connection."""

import threading
from decimal import Decimal

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.friends.helpers import campaign, codes, new_friend
from tests.sales.helpers import product
from wordofmouth.errors import DomainError
from wordofmouth.friends.models import CodeStatus, FriendCode
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod, Sale, SaleStatus

D = Decimal
TILLS = 50


@requires_postgres
def test_fifty_tills_one_code_exactly_one_discount(committed_url: str) -> None:
    engine = create_engine(committed_url, pool_size=TILLS, max_overflow=0)
    with Session(engine) as s:
        factories.bind(s)
        c = campaign(s)
        _, (code,) = codes(s, c)
        item = product("100.00")
        friends_cards = [new_friend() for _ in range(TILLS)]
        s.commit()
        number, product_id = code.code, item.id
    barrier = threading.Barrier(TILLS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def till(card_number: str) -> None:
        with Session(engine) as s:
            sale = service.create_sale(s, service.SaleDraft(
                lines=[service.LineDraft(product_id=product_id)], card_number=card_number),
                actor="till", channel="pos")
            s.commit()
            barrier.wait()
            try:
                service.scan(s, sale, number)
                payments.pay(s, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.due)])
                s.commit()
                result = f"paid:{sale.net_total}"
            except DomainError as exc:
                s.rollback()
                result = exc.code
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=till, args=(card,)) for card in friends_cards]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(engine) as s:
        used = s.scalars(select(FriendCode).where(FriendCode.code == number)).one()
        discounted = s.scalar(select(func.count()).select_from(Sale).where(
            Sale.status == SaleStatus.PAID, Sale.net_total == D("90.00")))
    engine.dispose()
    assert outcomes.count("paid:90.00") == 1, outcomes
    assert set(outcomes) - {"paid:90.00"} <= {"friend_code_held", "friend_code_used"}
    assert used.status == CodeStatus.USED and discounted == 1
