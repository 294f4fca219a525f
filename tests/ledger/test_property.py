"""Random sequences of sales, bonus payments, returns and voids keep the ledger whole."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.sales.helpers import bonus, card, product
from wordofmouth.errors import DomainError
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import LedgerEntry
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, Sale, SaleStatus

D = Decimal

actions = st.lists(st.one_of(
    st.tuples(st.just("sell"), st.integers(0, 2), st.integers(0, 3), st.integers(1, 3),
              st.integers(0, 100)),
    st.tuples(st.just("return"), st.integers(0, 50), st.integers(1, 3)),
    st.tuples(st.just("open_and_void"), st.integers(0, 2), st.integers(0, 100)),
), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=actions)
def test_every_balance_equals_its_entries_and_no_source_posts_twice(
        db: Session, steps: list[tuple]) -> None:
    nested = db.begin_nested()  # each example starts from the same state
    cards = [card(bonus=b) for b in ("3", "10", "0")]
    goods = [product(p) for p in ("19.99", "100.00", "0.35", "1234.56")]
    paid: list[Sale] = []
    for step in steps:
        savepoint = db.begin_nested()
        try:
            _run(db, step, cards, goods, paid)
            savepoint.commit()
        except DomainError:
            savepoint.rollback()  # a refused step changes nothing, like a refused request
    assert ledger.verify(db) == []
    keys = db.scalar(select(func.count(LedgerEntry.id)))
    distinct = db.scalar(select(func.count(func.distinct(LedgerEntry.source_key))))
    assert keys == distinct
    for c in cards:  # the share rule and the balance check never let a card overspend
        spent_ok = bonus(db, c.customer_id) >= 0 or _had_return(db, c.customer_id)
        assert spent_ok
    nested.rollback()


def _had_return(db: Session, customer_id: int) -> bool:
    return (db.scalar(select(func.count(Sale.id)).where(
        Sale.customer_id == customer_id,
        Sale.status.in_([SaleStatus.PARTIALLY_RETURNED, SaleStatus.RETURNED]))) or 0) > 0


def _run(db: Session, step: tuple, cards: list, goods: list, paid: list[Sale]) -> None:
    kind = step[0]
    if kind == "sell":
        _, who, what, qty, bonus_pct = step
        c = cards[who]
        sale = service.create_sale(db, service.SaleDraft(
            lines=[service.LineDraft(product_id=goods[what].id, qty=D(qty))],
            card_number=c.number), actor="prop", channel="pos")
        wanted = (bonus(db, c.customer_id) * bonus_pct / 100).quantize(D("0.01"))
        drafts = []
        if wanted > 0:
            drafts.append(payments.PaymentDraft(PaymentMethod.BONUS, wanted))
        drafts.append(payments.PaymentDraft(PaymentMethod.CASH, sale.net_total))
        payments.pay(db, sale.id, drafts)
        paid.append(sale)
    elif kind == "return" and paid:
        _, pick, qty = step
        sale = paid[pick % len(paid)]
        line = sale.lines[0]
        returns.return_items(db, sale.id, [returns.ReturnItem(line.id, D(qty))], actor="prop")
    elif kind == "open_and_void":
        _, who, bonus_pct = step
        c = cards[who]
        sale = service.create_sale(db, service.SaleDraft(
            lines=[service.LineDraft(product_id=goods[1].id)], card_number=c.number),
            actor="prop", channel="pos")
        wanted = (bonus(db, c.customer_id) * bonus_pct / 200).quantize(D("0.01"))
        if wanted > 0:
            payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, wanted)])
        payments.void_sale(db, sale.id, actor="prop")
